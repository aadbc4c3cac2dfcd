package serverless.bench;

/** The figures the bench reports for every stack, each with its unit and which way is better. */
enum Figure {
    CONNECT_P50("connect p50", "connect_p50_ms", "ms", false),
    CONNECT_P99("connect p99", "connect_p99_ms", "ms", false),
    QOS0("QoS 0", "qos0_msgs_per_s", "msg/s", true),
    QOS1("QoS 1", "qos1_msgs_per_s", "msg/s", true),
    LATENCY_P50("latency p50", "latency_p50_ms", "ms", false),
    LATENCY_P99("latency p99", "latency_p99_ms", "ms", false),
    LATENCY_MAX("latency max", "latency_max_ms", "ms", false),
    CPU_PER_MESSAGE("CPU/msg", "cpu_us_per_msg", "µs", false),
    PEAK_RSS("peak RSS", "peak_rss_mb", "MB", false),
    PEAK_HEAP("peak heap", "peak_heap_mb", "MB", false);

    final String title;
    final String column;
    final String unit;
    final boolean higherIsBetter;

    Figure(String title, String column, String unit, boolean higherIsBetter) {
        this.title = title;
        this.column = column;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }
}
