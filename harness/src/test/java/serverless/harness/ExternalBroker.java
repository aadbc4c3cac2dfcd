package serverless.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The user's own deployment ({@code -Dbroker=external}), described by the same MQTT_* variables the
 * examples read. The suite runs every example's round trip against it on topics of its own; fault cases
 * that need control of the broker are skipped, since this broker is not ours to break.
 */
final class ExternalBroker implements Broker {

    /** A name without a dot for the deployment's address, in the hosts file this class writes. */
    private static final String NAME_WITHOUT_SNI = "serverless-broker";

    private final Endpoint endpoint;
    private final String ipAddress;
    private final String nameWithoutSni;

    private ExternalBroker(Map<String, String> env, Optional<Path> hostsFile) {
        Optional<Path> caFile = value(env, "MQTT_CA_FILE").map(Path::of);
        caFile.filter(file -> !Files.isReadable(file)).ifPresent(file -> {
            throw new IllegalStateException("-Dbroker=external: MQTT_CA_FILE=" + file + " cannot be read");
        });
        String host = env.get("MQTT_HOST").trim();
        this.ipAddress = hostsFile.map(file -> addressIn(file, host)).orElseGet(() -> resolve(host));
        this.nameWithoutSni = hostsFile.isPresent() ? "localhost" : NAME_WITHOUT_SNI;
        this.endpoint = new Endpoint(host, port(env, "MQTT_PORT", 8883),
                port(env, "MQTT_WS_PORT", 8084), value(env, "MQTT_WS_PATH").orElse("/mqtt"), caFile,
                env.get("MQTT_USERNAME"), env.get("MQTT_PASSWORD"),
                Optional.of(hostsFile.orElseGet(() -> writeHostsFile(host, ipAddress))));
    }

    /**
     * The deployment the variables describe. {@code hostsFile} is for the suite's own test of this mode,
     * which points it at the local broker. Without it, the deployment's name is resolved once, here, and the
     * examples get a hosts file with that address under its own name and under the fault cases' names (a
     * name without a dot for "no SNI", another domain for "wrong SNI"), so those cases reach the deployment.
     */
    static ExternalBroker fromEnvironment(Map<String, String> env, Optional<Path> hostsFile) {
        List<String> missing = new ArrayList<>();
        for (String name : List.of("MQTT_HOST", "MQTT_USERNAME", "MQTT_PASSWORD")) {
            if (value(env, name).isEmpty()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("-Dbroker=external runs the examples against your own deployment and needs "
                    + String.join(", ", missing) + " (and optionally MQTT_PORT, MQTT_WS_PORT, MQTT_WS_PATH, MQTT_CA_FILE):"
                    + " export " + missing.get(0) + "=... and run again");
        }
        return new ExternalBroker(env, hostsFile);
    }

    @Override
    public String description() {
        return "your deployment " + host() + " (mqtts " + tlsPort() + ", wss " + wssPort() + wsPath() + ", trust: "
                + caFile().map(Path::toString).orElse("JDK default trust store")
                + "); fault cases that need control of the broker are skipped, and those of refusals it does not make";
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public String ipAddress() {
        return ipAddress;
    }

    @Override
    public String nameWithoutSni() {
        return nameWithoutSni;
    }

    @Override
    public Set<Trait> traits() {
        return EnumSet.noneOf(Trait.class);
    }

    private static String resolve(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("-Dbroker=external: MQTT_HOST=" + host + " could not be resolved from"
                    + " this machine: check its spelling (the deployment's address from the console) and DNS");
        }
    }

    /** The address a hosts file gives {@code host}: the suite's own test of this mode, without DNS. */
    private static String addressIn(Path hostsFile, String host) {
        try {
            return Files.readAllLines(hostsFile).stream().map(line -> line.trim().split("\\s+"))
                    .filter(fields -> fields.length > 1 && Arrays.asList(fields).subList(1, fields.length).contains(host))
                    .map(fields -> fields[0]).findFirst()
                    .orElseThrow(() -> new IllegalStateException(hostsFile + " does not name " + host));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hostsFile, e);
        }
    }

    private static Path writeHostsFile(String host, String address) {
        try {
            Path file = Files.createTempFile("external-broker-hosts-", "");
            file.toFile().deleteOnExit();
            return HostsFile.write(file, address, host, NAME_WITHOUT_SNI);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a hosts file for the examples", e);
        }
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(text -> !text.isEmpty());
    }

    private static int port(Map<String, String> env, String name, int defaultPort) {
        String text = value(env, name).orElse(String.valueOf(defaultPort));
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("-Dbroker=external: " + name + "=" + text + " is not a port number");
        }
    }
}
