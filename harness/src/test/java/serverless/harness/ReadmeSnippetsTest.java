package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * README code is tested code: every block that a README marks with {@code <!-- snippet: FILE -->} must equal that
 * file, whole (a single-file starter), and every block marked {@code <!-- snippet: FILE#NAME -->} must equal the
 * region between {@code // [START NAME]} and {@code // [END NAME]} in that source file (see
 * CONTRIBUTING.md); in a Python or properties file, whose comments start with {@code #}, between
 * {@code # [START NAME]} and {@code # [END NAME]} (a framework example keeps its configuration in properties).
 * GitHub Markdown cannot include files, so this keeps the copies from drifting.
 */
class ReadmeSnippetsTest {

    private static final Pattern SNIPPET = Pattern.compile(
            "<!-- snippet: ([^\\s#]+)(?:#(\\S+))? -->\\R```[a-z]*\\R(.*?)```", Pattern.DOTALL);

    @TestFactory
    Stream<DynamicTest> everyReadmeSnippetEqualsItsMarkedRegion() throws IOException {
        Path root = Program.repositoryRoot().normalize();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> readmes = Files.walk(root, 2)) {
            for (Path readme : readmes.filter(path -> path.getFileName().toString().equals("README.md")).toList()) {
                Matcher snippet = SNIPPET.matcher(Files.readString(readme));
                while (snippet.find()) {
                    Path source = readme.getParent().resolve(snippet.group(1));
                    String region = snippet.group(2);
                    String shown = snippet.group(3);
                    if (region == null) {
                        tests.add(DynamicTest.dynamicTest(root.relativize(readme) + " shows the whole of " + snippet.group(1),
                                () -> assertEquals(wholeFile(source), shown, "copy the file again into " + readme)));
                    } else {
                        tests.add(DynamicTest.dynamicTest(root.relativize(readme) + " shows " + snippet.group(1) + "#" + region,
                                () -> assertEquals(markedRegion(source, region), shown, "copy the region again into " + readme)));
                    }
                }
            }
        }
        assertFalse(tests.isEmpty(), "no README snippet found under " + root.toAbsolutePath());
        return tests.stream();
    }

    /** A file a README shows whole (a single-file starter), as it is. */
    static String wholeFile(Path source) throws IOException {
        assertTrue(Files.isRegularFile(source), source + " does not exist");
        return Files.readString(source);
    }

    /** The lines between the markers, without the markers and with their common indentation removed. */
    static String markedRegion(Path source, String name) throws IOException {
        assertTrue(Files.isRegularFile(source), source + " does not exist");
        List<String> lines = Files.readAllLines(source);
        int start = indexOf(lines, "[START " + name + "]");
        int end = indexOf(lines, "[END " + name + "]");
        assertTrue(start >= 0 && end > start, "no region " + name + " marked in " + source);
        List<String> region = lines.subList(start + 1, end).stream()
                .filter(line -> !line.trim().matches("(//|#) \\[(START|END) \\S+]"))
                .toList();
        int indent = region.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String line : region) {
            text.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return text.toString();
    }

    /** The line that is {@code marker} as a comment: {@code // marker} (Java, JavaScript) or {@code # marker} (Python, properties). */
    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.equals("// " + marker) || line.equals("# " + marker)) {
                return i;
            }
        }
        return -1;
    }
}
