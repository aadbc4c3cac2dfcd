package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a single-file starter promises before it runs (issue 25, README's "Start here"): one file a user copies whole,
 * short enough to read in a minute, with nothing in it that turns TLS verification off or speaks plaintext, not even
 * in a comment, since a comment is one keystroke from code. Its runs are {@link RoundTripIT} and {@link StarterFaultIT}.
 */
class StarterFilesTest {

    /** "At most about 80 lines of code besides comments and imports." */
    static final int LINE_BUDGET = 80;

    /**
     * Text that turns verification off or goes around TLS, in any of the four languages: trust-all managers, host name
     * checks off or replaced, Node's, Python's and Go's switches for it, and the plaintext ports and schemes Serverless
     * lacks.
     */
    static final List<Pattern> INSECURE = Stream.of("X509TrustManager", "TrustAll", "trustAll", "InsecureTrustManagerFactory",
            "HostnameVerifier", "VerificationEnabled\\(false\\)", "setVerifyHost\\(false\\)",
            "rejectUnauthorized\\s*:\\s*false", "checkServerIdentity", "NODE_TLS_REJECT_UNAUTHORIZED",
            "CERT_NONE", "tls_insecure_set", "check_hostname\\s*=\\s*False", "_create_unverified_context",
            "InsecureSkipVerify", "\\b1883\\b", "\\b8083\\b", "tcp://", "mqtt://", "\\bws://").map(Pattern::compile).toList();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Starter.class)
    void isOneShortFileWithoutAWayAroundTls(Starter starter) throws IOException {
        Path file = fileOf(starter);
        assertTrue(Files.isRegularFile(file), file + " does not exist");
        List<String> lines = Files.readAllLines(file);
        int code = linesOfCode(lines, file.toString().endsWith(".py"));
        List<String> insecure = INSECURE.stream().filter(text -> lines.stream().anyMatch(line -> text.matcher(line).find()))
                .map(Pattern::pattern).toList();
        assertAll(file.toString(),
                () -> assertTrue(code <= LINE_BUDGET, code + " lines of code, over the budget of " + LINE_BUDGET),
                () -> assertEquals(List.of(), insecure, "text that turns TLS verification off or goes around TLS"),
                () -> assertTrue(lastLineIsAComment(lines), "it ends with a comment on what the full example adds"));
    }

    /** In Java, one class that uses no other class of its module: the JDK and the client library only. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Starter.class)
    void usesNoOtherClassOfItsModule(Starter starter) throws IOException {
        Path file = fileOf(starter);
        if (!(starter.program() instanceof JavaProgram)) {
            return; // a script or a Go package main in a folder of its own: the file is all there is to its program
        }
        // Comments may name the full example; code may not use it. (A "//" inside "ssl://" has no space before it.)
        String source = Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)(^|\\s)//.*$", "");
        List<String> used = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            for (Path sibling : (Iterable<Path>) siblings::iterator) {
                String name = sibling.getFileName().toString().replaceFirst("\\.java$", "");
                if (!sibling.equals(file) && Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(source).find()) {
                    used.add(name);
                }
            }
        }
        assertEquals(List.of(), used, file + " must stand alone");
    }

    @Test
    void countsCodeNotCommentsOrImports() {
        List<String> java = List.of("package a;", "", "import b.C;", "/**", " * Doc.", " */", "class D { // why", "    // a note",
                "    int e = 1; /* inline */", "}", "/* block", "   over lines */");
        assertEquals(3, linesOfCode(java, false));
        List<String> python = List.of("\"\"\"Module", "docstring.\"\"\"", "import os", "from a import b", "# note", "",
                "def f():", "    \"\"\"One-line docstring.\"\"\"", "    return 1  # why");
        assertEquals(2, linesOfCode(python, true));
        List<String> go = List.of("package main", "import (", "\t\"fmt\"", ")", "func main() {", "\tfmt.Println()", "}");
        assertEquals(3, linesOfCode(go, false));
        List<String> javascript = List.of("'use strict';", "const mqtt = require('mqtt');", "const { readFileSync } = require('node:fs');",
                "main();");
        assertEquals(2, linesOfCode(javascript, false));
        assertFalse(lastLineIsAComment(List.of("}", "")));
        assertTrue(lastLineIsAComment(List.of("}", "# what the full example adds", "")));
    }

    /** Lines that are neither blank, nor comments or docstrings, nor package, import or top-level require lines. */
    static int linesOfCode(List<String> lines, boolean python) {
        int count = 0;
        boolean inComment = false;
        boolean inImportBlock = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (inComment) {
                inComment = !(python ? line.contains("\"\"\"") : line.contains("*/"));
                continue;
            }
            if (inImportBlock) {
                inImportBlock = !line.equals(")");
                continue;
            }
            if (python && line.startsWith("\"\"\"")) {
                inComment = !(line.length() > 3 && line.substring(3).contains("\"\"\""));
                continue;
            }
            if (!python && line.startsWith("/*")) {
                inComment = !line.contains("*/");
                continue;
            }
            if (line.equals("import (")) {
                inImportBlock = true;
                continue;
            }
            boolean comment = line.startsWith(python ? "#" : "//");
            boolean importLine = line.startsWith("import ") || line.startsWith("package ") || line.startsWith("from ")
                    || line.matches("^(const|let|var) .* = require\\(.*\\);?$");
            if (!line.isEmpty() && !comment && !importLine) {
                count++;
            }
        }
        return count;
    }

    private static boolean lastLineIsAComment(List<String> lines) {
        String last = lines.stream().filter(line -> !line.isBlank()).reduce((first, second) -> second).orElse("").strip();
        return last.startsWith("//") || last.startsWith("#") || last.endsWith("*/");
    }

    private static Path fileOf(Starter starter) {
        return starter.program().folder().resolve(starter.sourceFile());
    }
}
