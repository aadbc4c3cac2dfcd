package serverless.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * {@code bench-chart.png}: throughput (QoS 0 and QoS 1) on the left, p99 latency on the right, one row per stack
 * and transport, the floor first. Two JFreeChart bar charts drawn side by side into one image.
 */
final class Chart {

    private static final int WIDTH = 1200;
    private static final int HEIGHT_PER_ROW = 42;

    private Chart() {
    }

    static void writePng(Results results, Path file) throws IOException {
        DefaultCategoryDataset throughput = new DefaultCategoryDataset();
        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        int rows = 0;
        for (StackFigures figures : results.stacks()) {
            if (!figures.measured()) {
                continue;
            }
            String row = figures.stack.label() + " " + figures.transport;
            throughput.addValue(results.value(figures, Figure.QOS0), "QoS 0", row);
            throughput.addValue(results.value(figures, Figure.QOS1), "QoS 1", row);
            latency.addValue(results.value(figures, Figure.LATENCY_P99), "p99 round trip", row);
            rows++;
        }
        int height = 140 + rows * HEIGHT_PER_ROW;
        JFreeChart left = chart("Throughput, messages/s (more is better)", throughput, true);
        JFreeChart right = chart("Latency p99, ms, at " + results.settings().replaceAll(".*latency: [^ ]+ messages at ([0-9]+/s).*", "$1")
                + " (less is better)", latency, false);
        BufferedImage image = new BufferedImage(WIDTH, height + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height + 30);
        left.draw(g, new Rectangle2D.Double(0, 0, WIDTH * 0.6, height));
        right.draw(g, new Rectangle2D.Double(WIDTH * 0.6, 0, WIDTH * 0.4, height));
        g.setColor(Color.DARK_GRAY);
        g.drawString(results.date() + " | " + results.machine(), 10, height + 18);
        g.dispose();
        try (var png = java.nio.file.Files.newOutputStream(file)) {
            ChartUtils.writeBufferedImageAsPNG(png, image);
        }
    }

    private static JFreeChart chart(String title, DefaultCategoryDataset data, boolean labels) {
        CategoryAxis rows = new CategoryAxis();
        rows.setTickLabelsVisible(labels);
        rows.setMaximumCategoryLabelWidthRatio(0.5f);
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0x4e79a7));
        bars.setSeriesPaint(1, new Color(0xf28e2b));
        CategoryPlot plot = new CategoryPlot(data, rows, new NumberAxis(), bars);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (!labels) {
            bars.setSeriesPaint(0, new Color(0xe15759));
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(14f), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
