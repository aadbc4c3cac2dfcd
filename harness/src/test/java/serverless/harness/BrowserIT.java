package serverless.harness;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import serverless.harness.broker.Folders;
import serverless.harness.broker.ReadOnlyTopics;

/**
 * browser-example's page in a real headless Chromium, as a user runs it: served from the module folder by a
 * tiny HTTP server, the form filled in and submitted, the page's steps and error line read back.
 *
 * <p>Chromium resolves the broker's name to the broker's address ({@code --host-resolver-rules}), so it connects
 * by that name and sends it as SNI, as it would to Serverless, whose front refuses any other SNI. It trusts the
 * broker's CA file (the test CA; in external mode MQTT_CA_FILE, if set) as a user trusts a private CA: in an NSS
 * database of its own (a throwaway $HOME), so it checks the certificate's name and dates as in production. Where certutil (Debian: libnss3-tools) is missing it falls back
 * to {@code --ignore-certificate-errors-spki-list} with the test server's key, which Chromium honours by skipping
 * every check for a chain holding that key, the name included: the cases that prove those checks are then skipped.
 * Never a blanket ignore. One browser for the whole class, its cases one after another. Without a Chromium or
 * Chrome and its chromedriver the class is skipped with that reason, never passed. The round trip is part of the
 * everyday tier; the failures a page can see are the complete tier's.
 */
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.SAME_THREAD)
@Timeout(60)
@EnabledIf(value = "browserInstalled", disabledReason = "no Chromium or Google Chrome with a chromedriver on this machine"
        + " (looked in PATH, $CHROMEWEBDRIVER, /usr/bin, /usr/lib/chromium, /opt/google/chrome): browser-example's page is"
        + " not tested here. Debian: apt-get install chromium chromium-driver libnss3-tools")
class BrowserIT {

    /** The page's first CONNACK bound, as every example's. */
    private static final Duration CONNECT_BOUND = Duration.ofSeconds(10);
    /**
     * A wrong WebSocket path is answered with HTTP 404 at once. The contract gives an example 3 s from its
     * "Connecting" line to say so; the page takes at most 2 s more for its HTTPS check (PROBE_TIMEOUT_MS in
     * example.js), the only way it has to tell a refused upgrade from a refused connection.
     */
    private static final Duration WRONG_PATH_BOUND = Duration.ofSeconds(3 + 2);
    private static final Duration ROUND_TRIP_BOUND = Duration.ofSeconds(20);
    /** A setting is checked before anything connects: the page says so at once. */
    private static final Duration SETTING_BOUND = Duration.ofSeconds(2);
    /** The page's steps (their data-step names) before a refused subscription, and before a refused publish. */
    private static final List<String> AFTER_CONNECTING = List.of("connecting", "connected");
    private static final List<String> AFTER_SUBSCRIBING = List.of("connecting", "connected", "subscribed");

    private Path userDataDir;
    private Path home;
    private Trust trust = Trust.OWN_TRUST_STORE;
    private HttpServer pageServer;
    private ChromeDriver browser;
    private String pageUrl;

    /** Checked before the test bed is made, so that a machine without a browser skips this class at no cost. */
    static boolean browserInstalled() {
        return Chromium.browser().isPresent() && Chromium.driver().isPresent();
    }

    @BeforeAll
    void startBrowser(TestBed bed) throws Exception {
        Path chromium = Chromium.browser().orElseThrow();
        Path driver = Chromium.driver().orElseThrow();
        Broker broker = bed.broker();
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE); // no CDP version warnings on standard error

        pageServer = servePage(Program.repositoryRoot().resolve("browser-example").normalize());
        pageUrl = "http://localhost:" + pageServer.getAddress().getPort() + "/";
        userDataDir = Files.createTempDirectory("browser-it-");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // The machine's sandbox may be unavailable (root, containers); background traffic would only meet a closed network.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + userDataDir);
        // The browser's console, where Chromium says why a WebSocket failed (a page cannot read that).
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        Map<String, String> environment = Map.of();
        // The broker's name leads to the address the suite found for it (the local broker, EMQX in a container, or the
        // address external mode resolved once), so the browser connects by that name, sends it as SNI and checks it.
        options.addArguments("--host-resolver-rules=MAP " + broker.host() + " " + broker.ipAddress());
        if (broker.caFile().isPresent()) {
            // A private CA (the test CA, or MQTT_CA_FILE in external mode), trusted as a user trusts one.
            home = Files.createTempDirectory("browser-it-home-");
            trust = Trust.choose(home, broker.caFile().get());
            if (trust == Trust.NSS_DATABASE) {
                environment = Map.of("HOME", home.toString()); // Chromium on Linux reads $HOME/.pki/nssdb
            } else if (broker.caFile().get().equals(bed.pki().caCertificate())) {
                options.addArguments("--ignore-certificate-errors-spki-list=" + spkiSha256(bed.pki().serverCertificateChain()));
            } else {
                Assumptions.abort("the browser can trust MQTT_CA_FILE (" + broker.caFile().get() + ") only through an NSS"
                        + " database, made with certutil, which is not installed (Debian: libnss3-tools): not tested");
            }
            System.out.println("[harness] BrowserIT: the browser trusts the broker through " + trust.description);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile()) // the system's: never Selenium Manager's download
                .usingAnyFreePort()
                .withEnvironment(environment)
                .withSilent(true)
                .build();
        long starting = System.nanoTime();
        browser = new ChromeDriver(service, options);
        System.out.printf("[harness] BrowserIT: browser started in %d ms%n", (System.nanoTime() - starting) / 1_000_000);
        System.out.println("[harness] BrowserIT: " + browser.getCapabilities().getBrowserName() + " "
                + browser.getCapabilities().getBrowserVersion() + " (" + chromium + ", " + driver + ")");
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (pageServer != null) {
            pageServer.stop(0);
        }
        if (userDataDir != null) {
            Folders.deleteQuietly(userDataDir);
        }
        if (home != null) {
            Folders.deleteQuietly(home);
        }
    }

    @Test
    @DisplayName("browser-example: round trip")
    void roundTrip(Broker broker) {
        String clientId = "browser-it-" + DeploymentFiles.randomSecret().substring(0, 8);
        String topic = "serverless-examples/it/" + clientId;

        PageRun run = submit(form(broker, Map.of("clientId", clientId, "topic", topic)), ROUND_TRIP_BOUND);

        assertEquals("passed", run.state(), run::transcript);
        String url = "wss://" + broker.host() + ":" + broker.wssPort() + broker.wsPath();
        assertEquals(List.of(
                "Connecting to " + url + " as " + broker.username() + " (trust: the browser's trust store)",
                "Connected with client id " + clientId,
                "Subscribed to " + topic + " at QoS 1",
                "Published 1/1 messages to " + topic + " at QoS 1",
                "Received 1/1 messages on " + topic + " (0 duplicates)",
                "Disconnected"), run.steps(), run::transcript);
        assertEquals("Message back: Hello from " + clientId + " #1", run.message(), run::transcript);
        assertFalse(run.page().contains(broker.password()), "the page must never show the password");

        if (broker.has(Broker.Trait.CONNECTION_LOG)) {
            await("the broker's record of the browser's connection").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                // The browser's TLS: TLS 1.3, the deployment's name as SNI; MQTT 5 over the WebSocket listener.
                assertTrue(broker.connections().stream().anyMatch(connection ->
                        connection.clientId().equals(clientId) && connection.accepted()
                                && connection.username().equals(broker.username())
                                && connection.sniHostname().equals(broker.host())
                                && connection.tlsProtocol().equals("TLSv1.3")
                                && connection.transport() == Transport.WSS
                                && connection.mqttVersion().equals("5")),
                        () -> "no accepted MQTT 5 WebSocket connection over TLS 1.3 by " + clientId + " as "
                                + broker.username() + " with SNI " + broker.host() + " in " + broker.connections());
                assertTrue(broker.publishes().stream().anyMatch(publish ->
                        publish.clientId().equals(clientId) && publish.topic().equals(topic)),
                        () -> "the broker saw no PUBLISH by " + clientId + " on " + topic);
            });
        }
    }

    @CompleteTier
    @Test
    @DisplayName("browser-example: wrong password")
    void wrongPassword(Broker broker) {
        assumeTrue(broker.has(Broker.Trait.STARTED_BY_THE_SUITE), () -> broker.lacks(Broker.Trait.STARTED_BY_THE_SUITE));
        String wrong = "wrong-" + DeploymentFiles.randomSecret();

        PageRun run = submit(form(broker, Map.of("password", wrong)), CONNECT_BOUND);

        assertFailure(run, broker, "username-or-password", List.of("username or password"), CONNECT_BOUND);
        assertFalse(run.page().contains(wrong), "the page must never show the password, not even a wrong one");
    }

    @CompleteTier
    @Test
    @DisplayName("browser-example: wrong WebSocket path (HTTP 404)")
    void wrongPath(Broker broker) {
        assumeTrue(broker.refuses(Broker.Refusal.WRONG_WEBSOCKET_PATH),
                () -> broker.lacks(Broker.Refusal.WRONG_WEBSOCKET_PATH));

        PageRun run = submit(form(broker, Map.of("path", BrokerProbe.WRONG_WEBSOCKET_PATH)), WRONG_PATH_BOUND.plusSeconds(5));

        // The browser does not let the page read the 404 of a failed upgrade: the page tells a server that answers
        // HTTPS (so: the path) from one that does not (refused, untrusted), and names the 404 Serverless sends.
        assertFailure(run, broker, "wrong-path", List.of("WebSocket", "HTTP 404", "/mqtt", BrokerProbe.WRONG_WEBSOCKET_PATH),
                WRONG_PATH_BOUND);
        assertConsoleShows(run, "Unexpected response code: 404");
    }

    /**
     * The browser checks the certificate against the name it connects to, as with Serverless: a certificate of the
     * test CA for another name is refused. Only where the test CA is trusted as a CA (an NSS database): Chromium's
     * {@code --ignore-certificate-errors-spki-list} accepts any certificate with that key, for any name.
     */
    @CompleteTier
    @Test
    @DisplayName("browser-example: certificate for another host")
    void certificateForAnotherHost(Broker broker, TestBed bed) {
        assertCertificateRefused(broker, bed.faults().wrongHostCertificatePort(), "ERR_CERT_COMMON_NAME_INVALID");
    }

    @CompleteTier
    @Test
    @DisplayName("browser-example: expired certificate")
    void expiredCertificate(Broker broker, TestBed bed) {
        assertCertificateRefused(broker, bed.faults().expiredCertificatePort(), "ERR_CERT_DATE_INVALID");
    }

    /**
     * The page, sent to a fault server on {@code port} under the deployment's name, ends in its line about a closed
     * connection and the certificate; the browser's console gives the cause, {@code consoleError}.
     */
    private void assertCertificateRefused(Broker broker, int port, String consoleError) {
        assumeHostNameChecked(broker);

        PageRun run = submit(form(broker, Map.of("port", String.valueOf(port))), CONNECT_BOUND);

        assertFailure(run, broker, "socket-closed-before-upgrade", List.of("closed before the upgrade", "certificate"),
                CONNECT_BOUND);
        assertConsoleShows(run, consoleError);
    }

    private void assumeHostNameChecked(Broker broker) {
        assumeTrue(broker.has(Broker.Trait.STARTED_BY_THE_SUITE) && broker.host().equals(LocalDeployment.HOST),
                () -> broker.lacks(Broker.Trait.STARTED_BY_THE_SUITE));
        assumeTrue(trust == Trust.NSS_DATABASE, () -> "the browser trusts the test server through " + trust.description
                + ", which accepts that key whatever the name or dates: install certutil (Debian: libnss3-tools) "
                + "for a trust that checks them");
    }

    @CompleteTier
    @Test
    @DisplayName("browser-example: connection refused")
    void connectionRefused(Broker broker) throws IOException {
        assumeTrue(broker.has(Broker.Trait.STARTED_BY_THE_SUITE) && broker.host().equals(LocalDeployment.HOST),
                () -> broker.lacks(Broker.Trait.STARTED_BY_THE_SUITE));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        PageRun run = submit(form(broker, Map.of("port", String.valueOf(closedPort))), CONNECT_BOUND);

        assertFailure(run, broker, "socket-closed-before-upgrade", List.of("closed before the upgrade", "refused", "Port"),
                WRONG_PATH_BOUND);
    }

    /** A URL pasted into Host: the form says which Host and Port to enter, at once, without repeating the paste. */
    @CompleteTier
    @Test
    @DisplayName("browser-example: a URL pasted into Host")
    void urlInHost(Broker broker) {
        String pasted = "wss://" + broker.host() + ":8084/mqtt";
        String hostAndPort = "Host=" + broker.host() + " and Port=8084";

        PageRun run = submit(form(broker, Map.of("host", pasted)), SETTING_BOUND);

        ErrorLineAssertions.assertShowsOneErrorLine(run.output(), List.of(hostAndPort), SETTING_BOUND, broker.password(),
                () -> assertEquals("failed", run.state(), "the page's state"),
                () -> assertEquals("setting", run.errorKind(), "the error's kind"),
                () -> assertTrue(run.error().contains(hostAndPort), "the line says, in these words: " + hostAndPort),
                () -> assertFalse(run.error().contains(pasted), "the pasted value is not repeated"),
                () -> assertEquals(List.of(), run.steps(), "nothing connects"));
    }

    /**
     * A topic the user may subscribe to but not publish on (the local broker's ACL): the page subscribes, and its publish
     * is refused with PUBACK 0x87, which its line names with the ACL and where to change it.
     */
    @CompleteTier
    @Test
    @DisplayName("browser-example: publishing on a topic the ACL allows only to subscribe to (PUBACK 0x87)")
    void publishNotAuthorized(Broker broker) {
        assumeTrue(broker.has(Broker.Trait.READ_ONLY_TOPICS), () -> broker.lacks(Broker.Trait.READ_ONLY_TOPICS));
        String topic = ReadOnlyTopics.PREFIX + "browser-it-" + DeploymentFiles.randomSecret().substring(0, 8);

        PageRun run = submit(form(broker, Map.of("topic", topic)), CONNECT_BOUND);

        assertFailure(run, broker, "publish-refused", List.of("0x87", "not authorized", "ACL", "Authorization page"),
                CONNECT_BOUND, AFTER_SUBSCRIBING);
    }

    /** A topic of 11 levels, one more than Serverless takes in a filter: the SUBACK refuses it, the line names both causes. */
    @CompleteTier
    @Test
    @DisplayName("browser-example: a topic of 11 levels (SUBACK)")
    void topicOfElevenLevels(Broker broker) {
        assumeTrue(broker.refuses(Broker.Refusal.DEEP_TOPIC_FILTER), () -> broker.lacks(Broker.Refusal.DEEP_TOPIC_FILTER));
        String topic = QuotaProbe.topicOfElevenLevels("browser-it-" + DeploymentFiles.randomSecret().substring(0, 8));

        PageRun run = submit(form(broker, Map.of("topic", topic)), CONNECT_BOUND);

        assertFailure(run, broker, "subscribe-refused", List.of("subscription", "ACL", "10 subscriptions", "10 levels"),
                CONNECT_BOUND, AFTER_CONNECTING);
    }

    // No case for a missing SNI: it cannot be produced from a browser. A page gives only a URL, and the browser
    // always sends its host name as SNI (an IP address in the URL sends none, but then the certificate cannot
    // match either). FaultIT proves the broker's refusal with the Java, Node.js and Python examples.

    // ---- the page ----

    /**
     * The form's fields for this broker, with {@code changes} applied: what a WebSocket example is given, as README
     * tells the page's user (Host is MQTT_HOST, Port MQTT_WS_PORT, Path MQTT_WS_PATH); the browser trusts its own CAs.
     */
    private static Map<String, String> form(Broker broker, Map<String, String> changes) {
        Map<String, String> variables = broker.endpoint().variablesFor(Transport.WSS);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("host", variables.get("MQTT_HOST"));
        fields.put("port", variables.get("MQTT_PORT"));
        fields.put("path", variables.get("MQTT_WS_PATH"));
        fields.put("username", variables.get("MQTT_USERNAME"));
        fields.put("password", variables.get("MQTT_PASSWORD"));
        fields.putAll(changes);
        return fields;
    }

    /** Loads the page afresh, fills in the form, submits it and waits until the page says passed or failed. */
    private PageRun submit(Map<String, String> fields, Duration bound) {
        long loading = System.nanoTime();
        browser.get(pageUrl);
        // One command for the whole form: typing each field (clear, sendKeys) is a driver round trip per field,
        // seconds on a busy machine. The page reads the fields only when the form is submitted.
        browser.executeScript("for (const [id, value] of Object.entries(arguments[0])) {"
                + " document.getElementById(id).value = value; }", fields);
        WebElement run = browser.findElement(By.id("run"));
        browser.manage().logs().get(LogType.BROWSER); // empties the console log: what follows is this run's
        long started = System.nanoTime();
        browser.findElement(By.id("start")).click();
        await("the page's run to end").atMost(bound.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> !"running".equals(run.getDomAttribute("data-state")));
        long clicked = (System.nanoTime() - started) / 1_000_000;
        List<WebElement> stepLines = browser.findElements(By.cssSelector("#steps li"));
        List<String> steps = stepLines.stream().map(WebElement::getText).toList();
        List<String> stepNames = stepLines.stream().map(line -> line.getDomAttribute("data-step")).toList();
        WebElement error = browser.findElement(By.id("error"));
        // The page's own clock, from its first step to its last line: the driver's polling left out.
        List<WebElement> lines = browser.findElements(By.cssSelector("#steps li, #error[data-ms]"));
        Duration took = Duration.ofMillis(lines.isEmpty() ? clicked
                : Long.parseLong(lines.get(lines.size() - 1).getDomAttribute("data-ms")));
        System.out.printf("[harness] BrowserIT: page loaded and filled in %d ms; its run took %d ms (%d ms from the click)%n",
                (started - loading) / 1_000_000, took.toMillis(), clicked);
        String console = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).collect(Collectors.joining("\n"));
        return new PageRun(run.getDomAttribute("data-state"), steps, stepNames,
                browser.findElement(By.id("message")).getText(),
                Optional.ofNullable(error.getDomAttribute("data-error")).orElse(""), error.getText(), took,
                browser.getPageSource(), console);
    }

    /** The failure contract for the page's error line, and what only the page shows: its state, the error's kind. */
    private static void assertFailure(PageRun run, Broker broker, String kind, List<String> phrases, Duration bound) {
        assertFailure(run, broker, kind, phrases, bound, List.of("connecting"));
    }

    /** As above, for a failure after the page's {@code steps} (the data-step names of its lines, in order). */
    private static void assertFailure(PageRun run, Broker broker, String kind, List<String> phrases, Duration bound,
            List<String> steps) {
        ErrorLineAssertions.assertShowsOneErrorLine(run.output(), phrases, bound, broker.password(),
                () -> assertEquals("failed", run.state(), "the page's state"),
                () -> assertEquals(kind, run.errorKind(), "the error's kind"),
                () -> assertEquals(steps, run.stepNames(), "the steps before the failure, and nothing after it"));
    }

    /** Chromium logs why a WebSocket failed to the console, which only the driver can read, a moment later. */
    private void assertConsoleShows(PageRun run, String text) {
        StringBuilder console = new StringBuilder(run.console());
        await("the browser's console to show " + text).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    browser.manage().logs().get(LogType.BROWSER).forEach(entry -> console.append('\n').append(entry.getMessage()));
                    return console.toString().contains(text);
                });
    }

    /** What the page showed at the end of one run. */
    private record PageRun(String state, List<String> steps, List<String> stepNames, String message, String errorKind,
            String error, Duration took, String page, String console) {

        /** As the failure contract reads it: the error line, the steps, the page. */
        ErrorLineAssertions.Output output() {
            return new ErrorLineAssertions.Output(error, steps, page, took, transcript());
        }

        String transcript() {
            return "page state " + state + " after " + took.toMillis() + " ms; steps " + steps + "; message \""
                    + message + "\"; error [" + errorKind + "] \"" + error + "\"; browser console: " + console;
        }
    }

    /** How the browser comes to trust the test server. */
    enum Trust {
        /** The CA file in a throwaway NSS database, as a user adds a private CA: names and dates are checked. */
        NSS_DATABASE("its CA file in a throwaway NSS database ($HOME/.pki/nssdb)"),
        /** Chromium's switch: any certificate chain with the test server's key, whatever its name or dates. */
        SPKI_LIST("--ignore-certificate-errors-spki-list with the test server's key (no certutil here)"),
        /** A broker with a public CA (your deployment without MQTT_CA_FILE): the browser's own trust store. */
        OWN_TRUST_STORE("its own trust store");

        final String description;

        Trust(String description) {
            this.description = description;
        }

        /** An NSS database in {@code home} trusting {@code caFile} where certutil is installed, else the SPKI switch. */
        static Trust choose(Path home, Path caFile) throws IOException, InterruptedException {
            Optional<Path> certutil = Chromium.first(Stream.concat(Chromium.onPath("certutil"), Stream.of(Path.of("/usr/bin/certutil"))));
            if (certutil.isEmpty()) {
                return SPKI_LIST;
            }
            Path database = Files.createDirectories(home.resolve(".pki/nssdb"));
            run(certutil.get().toString(), "-d", "sql:" + database, "-N", "--empty-password");
            run(certutil.get().toString(), "-d", "sql:" + database, "-A", "-t", "C,,", "-n", "serverless-examples test CA",
                    "-i", caFile.toString());
            return NSS_DATABASE;
        }

        private static void run(String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            assertEquals(0, process.waitFor(), () -> String.join(" ", command) + " failed: " + output);
        }
    }

    // ---- serving the page, and the browser's trust ----

    /** Serves {@code folder} on http://localhost, as {@code python3 -m http.server} would (README). */
    private static HttpServer servePage(Path folder) throws IOException {
        assertTrue(Files.isRegularFile(folder.resolve("index.html")), "no page at " + folder);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                Path file = folder.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
                if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
                    send(exchange, 404, "text/plain", "not found".getBytes(UTF_8));
                    return;
                }
                send(exchange, 200, contentType(file), Files.readAllBytes(file));
            }
        });
        server.start();
        return server;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** An ES module must be served as JavaScript, or the browser refuses to run it. */
    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "text/plain; charset=utf-8";
    }

    /** Base64 of the SHA-256 of the first certificate's SubjectPublicKeyInfo: Chromium's form for a key it may accept. */
    static String spkiSha256(Path pemChain) throws Exception {
        try (InputStream in = Files.newInputStream(pemChain)) {
            X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] spki = leaf.getPublicKey().getEncoded(); // X.509 SubjectPublicKeyInfo, DER
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        }
    }

    /** Where Chromium or Google Chrome and its chromedriver are: Debian's packages, or GitHub's runners' Chrome. */
    static final class Chromium {

        static final List<String> BROWSER_LOCATIONS = List.of("/usr/bin/chromium", "/usr/lib/chromium/chromium",
                "/usr/bin/google-chrome", "/opt/google/chrome/chrome");
        static final List<String> DRIVER_LOCATIONS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

        private Chromium() {
        }

        /** Where $CHROMEWEBDRIVER names GitHub's chromedriver, the Chrome it matches comes first. */
        static Optional<Path> browser() {
            Stream<Path> names = System.getenv("CHROMEWEBDRIVER") != null
                    ? onPath("google-chrome", "google-chrome-stable", "chromium", "chromium-browser")
                    : onPath("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
            return first(Stream.concat(names, BROWSER_LOCATIONS.stream().map(Path::of)));
        }

        /** GitHub's runners set CHROMEWEBDRIVER to the folder of the chromedriver that matches their Chrome. */
        static Optional<Path> driver() {
            Stream<Path> github = Optional.ofNullable(System.getenv("CHROMEWEBDRIVER")).stream()
                    .map(folder -> Path.of(folder, "chromedriver"));
            return first(Stream.of(github, onPath("chromedriver"), DRIVER_LOCATIONS.stream().map(Path::of))
                    .flatMap(s -> s));
        }

        static Stream<Path> onPath(String... names) {
            List<Path> found = new ArrayList<>();
            for (String name : names) {
                for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                    if (!folder.isEmpty()) {
                        found.add(Path.of(folder, name));
                    }
                }
            }
            return found.stream();
        }

        static Optional<Path> first(Stream<Path> candidates) {
            return candidates.filter(path -> Files.isRegularFile(path) && Files.isExecutable(path)).findFirst();
        }
    }
}
