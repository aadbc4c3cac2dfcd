package serverless.doctor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** Steps 1 and 2: does the address resolve, and do the ports answer TCP (the "telnet" check). */
final class NetworkChecks {

    static final Duration DNS_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Plaintext ports of EMQX that Serverless does not offer. */
    private static final Map<Integer, String> PLAINTEXT_PORTS = Map.of(
            1883, "1883 is plaintext MQTT", 8083, "8083 is plaintext MQTT over WebSocket");

    private final Findings findings;

    NetworkChecks(Findings findings) {
        this.findings = findings;
    }

    StepResult address() throws InterruptedException {
        Settings settings = findings.settings;
        String host = settings.host();
        List<InetAddress> addresses;
        try {
            addresses = CompletableFuture.supplyAsync(() -> resolve(host))
                    .get(DNS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slowDns) {
            return StepResult.fail(Step.ADDRESS, host + " could not be resolved within " + DNS_TIMEOUT.toSeconds()
                    + " s", "Check this machine's DNS (try: nslookup " + host + ").", "DNS lookup timed out");
        } catch (ExecutionException e) {
            return StepResult.fail(Step.ADDRESS, host + " could not be resolved",
                    "Check MQTT_HOST's spelling against the console (Overview -> Connection information) and that"
                            + " this machine's DNS works (try: nslookup " + host + ").", Causes.exact(e.getCause()));
        }
        findings.addresses.addAll(addresses);
        String list = addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
        if (settings.hostIsIpAddress()) {
            return StepResult.warn(Step.ADDRESS, host + " is an IP address, not a host name",
                    "Use the deployment's domain from the console as MQTT_HOST: with an IP address the client"
                            + " sends no SNI (Serverless refuses the handshake) and the certificate cannot match.");
        }
        return StepResult.pass(Step.ADDRESS, host + " resolves to " + list);
    }

    StepResult ports() throws InterruptedException {
        Settings settings = findings.settings;
        List<Integer> ports = findings.ports();
        List<CompletableFuture<PortProbe>> probes = new ArrayList<>();
        for (int port : ports) {
            probes.add(CompletableFuture.supplyAsync(() -> connect(settings.host(), port)));
        }
        List<String> seen = new ArrayList<>();
        StepResult failure = null;
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            String role = port == settings.tlsPort() ? "MQTT over TLS" : "WSS";
            PortProbe probe;
            try {
                probe = probes.get(i).get(CONNECT_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                probe = new PortProbe(false, "no answer", Causes.exact(e)); // connect() bounds itself; a backstop
            }
            seen.add(port + " (" + role + ") " + probe.words());
            if (failure == null && PLAINTEXT_PORTS.containsKey(port)) {
                failure = StepResult.fail(Step.PORTS, PLAINTEXT_PORTS.get(port) + ", which Serverless does not offer",
                        "Serverless speaks TLS only: set MQTT_PORT to 8883 (MQTT over TLS) or MQTT_WS_PORT to 8084"
                                + " (MQTT over WebSocket with TLS).", "port " + port + " is a plaintext port");
            } else if (failure == null && !probe.open()) {
                failure = portFailure(settings, port, probe);
            }
        }
        String summary = "TCP " + String.join(", ", seen);
        if (failure != null) {
            return new StepResult(Step.PORTS, Verdict.FAIL, summary + ": " + failure.summary(), List.of(),
                    failure.whatToDo(), failure.error(), Duration.ZERO);
        }
        return StepResult.pass(Step.PORTS, summary);
    }

    /** One TCP connect: whether it opened, in words, and the exact error if not. */
    private record PortProbe(boolean open, String words, String exact) {
    }

    private static StepResult portFailure(Settings settings, int port, PortProbe probe) {
        String onlyTls = settings.checkWss() && port == settings.wsPort()
                ? " If you only use MQTT over TLS (8883), run with --no-wss." : "";
        if (probe.words().contains("refused")) {
            return StepResult.fail(Step.PORTS, "nothing listens on port " + port,
                    "Nothing listens on " + settings.host() + ":" + port + ". Check MQTT_HOST and the port: Serverless"
                            + " offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS); 1883 and 8083"
                            + " are not offered. Is the deployment running (console)?" + onlyTls,
                    probe.exact());
        }
        return StepResult.fail(Step.PORTS, "port " + port + " cannot be reached",
                "A firewall or proxy between this machine and " + settings.host() + " may drop port " + port
                        + " (try: nc -vz " + settings.host() + " " + port + "); check the port too: Serverless"
                        + " offers 8883 and 8084." + onlyTls,
                probe.exact());
    }

    private static List<InetAddress> resolve(String host) {
        try {
            return Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new CompletionException(e);
        }
    }

    /** One bounded TCP connect. */
    private static PortProbe connect(String host, int port) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
            return new PortProbe(true, "open (" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms)", "");
        } catch (ConnectException e) {
            return new PortProbe(false, "connection refused", Causes.exact(e));
        } catch (SocketTimeoutException e) {
            return new PortProbe(false, "timed out: no answer within " + CONNECT_TIMEOUT.toSeconds() + " s",
                    Causes.exact(e));
        } catch (NoRouteToHostException e) {
            return new PortProbe(false, "no route to host", Causes.exact(e));
        } catch (IOException e) {
            return new PortProbe(false, e.getClass().getSimpleName() + ": " + e.getMessage(), Causes.exact(e));
        }
    }
}
