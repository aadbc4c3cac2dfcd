package serverless.harness;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import serverless.harness.Broker.Refusal;
import serverless.harness.Broker.Trait;
import serverless.harness.broker.ReadOnlyTopics;

/**
 * The ways a connection goes wrong that Serverless users meet most, each with the phrase the example's
 * one-line error must contain (see CONTRIBUTING.md) and the exit code it must end with.
 */
public enum Fault {
    WRONG_PASSWORD("username or password", 1, Trait.STARTED_BY_THE_SUITE,
            (run, bed) -> run.set("MQTT_PASSWORD", "wrong-" + DeploymentFiles.randomSecret())),
    UNKNOWN_USER("not authorized", 1, Trait.STARTED_BY_THE_SUITE,
            (run, bed) -> run.set("MQTT_USERNAME", "nobody-" + DeploymentFiles.randomSecret().substring(0, 6))),
    ANONYMOUS("MQTT_USERNAME is not set", 2, Requirement.ANY_BROKER,
            (run, bed) -> run.unset("MQTT_USERNAME").unset("MQTT_PASSWORD")),
    UNTRUSTED_CA("not trusted", 1, Trait.STARTED_BY_THE_SUITE,
            (run, bed) -> run.set("MQTT_CA_FILE", bed.pki().untrustedCaCertificate().toString())),
    IP_ADDRESS("IP address", 1, Refusal.IP_ADDRESS,
            (run, bed) -> run.set("MQTT_HOST", run.broker().ipAddress())),
    NO_SNI("SNI", 1, Refusal.MISSING_SNI,
            // The JDK sends no SNI for a name without a dot.
            (run, bed) -> run.set("MQTT_HOST", run.broker().nameWithoutSni())),
    WRONG_SNI("SNI", 1, Refusal.WRONG_SNI,
            // Like a CNAME of one's own pointing at the deployment.
            (run, bed) -> run.set("MQTT_HOST", HostsFile.OTHER_HOST)),
    CERTIFICATE_FOR_OTHER_HOST("does not match", 1, Trait.STARTED_BY_THE_SUITE,
            (run, bed) -> run.set("MQTT_PORT", String.valueOf(bed.faults().wrongHostCertificatePort()))),
    EXPIRED_CERTIFICATE("expired", 1, Trait.STARTED_BY_THE_SUITE,
            (run, bed) -> run.set("MQTT_PORT", String.valueOf(bed.faults().expiredCertificatePort()))),
    OLD_TLS_VERSION("TLS version", 1, Trait.STARTED_BY_THE_SUITE,
            // A server that offers only TLS 1.1: the client must refuse it, with a clear line.
            (run, bed) -> run.set("MQTT_PORT", String.valueOf(bed.faults().tls11OnlyPort()))),
    PLAINTEXT_PORT("TLS port", 1, Trait.STARTED_BY_THE_SUITE,
            (run, bed) -> run.set("MQTT_PORT", String.valueOf(bed.faults().plaintextPort()))),
    CLOSED_PORT("connection refused", 1, Trait.STARTED_BY_THE_SUITE,
            (run, bed) -> run.set("MQTT_PORT", String.valueOf(FaultFixtures.closedPort()))),
    /**
     * A server that completes TLS as the deployment (over WebSocket, the upgrade too) and never answers the first
     * CONNECT, as a deployment that is starting or overloaded may, or something in between that speaks TLS but not
     * MQTT: the line must say so, not blame the network ("timed out" is for a TCP connect or handshake that never ends).
     */
    UNANSWERED_CONNECT(List.of("never answered", "CONNECT", "starting or overloaded"), 1, Trait.STARTED_BY_THE_SUITE,
            Optional.empty(), (run, bed) -> bed.faults().leaveTheConnectUnanswered(run)),
    /**
     * EMQX, and so Serverless, answers a wrong path with HTTP 404 at once: the example must say so within
     * 3 s of starting to connect (its JVM's start-up aside, which a loaded machine stretches at will).
     */
    WRONG_WEBSOCKET_PATH(List.of("WebSocket path", "HTTP 404", "/mqtt"), 1, Refusal.WRONG_WEBSOCKET_PATH,
            Optional.of(Duration.ofSeconds(3)), (run, bed) -> run.set("MQTT_WS_PATH", BrokerProbe.WRONG_WEBSOCKET_PATH)),
    /** Over Serverless' 1024 characters; the line must say what works everywhere (23, the old MQTT 3.x limit). */
    CLIENT_ID_TOO_LONG(List.of("client id", "MQTT_CLIENT_ID", "23"), 1, Refusal.LONG_CLIENT_ID,
            Optional.empty(), (run, bed) -> run.set("MQTT_CLIENT_ID", "c".repeat(QuotaProbe.LONG_CLIENT_ID))),
    /**
     * A topic of 11 levels, one more than Serverless takes in a subscribed filter: the SUBACK refuses it, and the line
     * must name both of the usual causes of a refused subscription, the ACL and the subscription quota.
     */
    TOPIC_OF_ELEVEN_LEVELS(List.of("subscription", "ACL", "10 subscriptions", "10 levels"), 1, Refusal.DEEP_TOPIC_FILTER,
            Optional.empty(), (run, bed) -> run.set("MQTT_TOPIC", QuotaProbe.topicOfElevenLevels(run.clientId()))),
    /**
     * A topic the user may subscribe to but not publish on (the broker's ACL, as a Serverless user sets one on the
     * Authorization page). MQTT 5 is told: PUBACK 0x87. EMQX acknowledges a denied MQTT 3.1.1 PUBLISH with a plain
     * PUBACK and drops it (its default authorization.deny_action, ignore), so those examples cannot be told and end with
     * their "did not come back" line, which names the ACL and the publish rate, after their 20 s without progress.
     */
    PUBLISH_NOT_AUTHORIZED(List.of("0x87", "not authorized", "ACL", "MQTT_TOPIC", "Authorization page"),
            List.of("did not come back", "ACL", "MQTT_PUBLISH_RATE"), Trait.READ_ONLY_TOPICS,
            (run, bed) -> run.set("MQTT_TOPIC", ReadOnlyTopics.PREFIX + run.clientId()));

    /** The promise to users: a wrong setting is reported within 15 seconds. */
    private static final Duration BOUND = Duration.ofSeconds(15);
    /** An MQTT 3.1.1 example that is not told ends when nothing has come back for its 20 s, after its start-up. */
    private static final Duration UNTOLD_BOUND = Duration.ofSeconds(35);

    private final List<String> phrases;
    /** What an MQTT 3.1.1 example says instead, where MQTT 3.1.1 cannot tell it the fault; empty where it can. */
    private final Optional<List<String>> untoldPhrases;
    private final int exitCode;
    private final Requirement needs;
    private final Optional<Duration> boundFromConnecting;
    private final BiConsumer<ExampleRun, TestBed> injection;

    Fault(String phrase, int exitCode, Requirement needs, BiConsumer<ExampleRun, TestBed> injection) {
        this(List.of(phrase), exitCode, needs, Optional.empty(), injection);
    }

    Fault(List<String> phrases, int exitCode, Requirement needs, Optional<Duration> boundFromConnecting,
            BiConsumer<ExampleRun, TestBed> injection) {
        this(phrases, Optional.empty(), exitCode, needs, boundFromConnecting, injection);
    }

    /** A refusal that only MQTT 5 can tell: an MQTT 3.1.1 example's line says {@code untoldPhrases} instead. */
    Fault(List<String> phrases, List<String> untoldPhrases, Requirement needs, BiConsumer<ExampleRun, TestBed> injection) {
        this(phrases, Optional.of(untoldPhrases), 1, needs, Optional.empty(), injection);
    }

    Fault(List<String> phrases, Optional<List<String>> untoldPhrases, int exitCode, Requirement needs,
            Optional<Duration> boundFromConnecting, BiConsumer<ExampleRun, TestBed> injection) {
        this.phrases = phrases;
        this.untoldPhrases = untoldPhrases;
        this.exitCode = exitCode;
        this.needs = needs;
        this.boundFromConnecting = boundFromConnecting;
        this.injection = injection;
    }

    /** The phrases {@code example}'s one-line error must contain (case-insensitive). */
    public List<String> phrases(Example example) {
        return untoldBy(example) ? untoldPhrases.orElseThrow() : phrases;
    }

    /** How soon the example must have ended, from its start (its JVM's start-up included). */
    public Duration bound() {
        return BOUND;
    }

    /** How soon {@code example} must have ended, from its start: later where it is not told and waits its 20 s. */
    public Duration bound(Example example) {
        return untoldBy(example) ? UNTOLD_BOUND : BOUND;
    }

    private boolean untoldBy(Example example) {
        return untoldPhrases.isPresent() && !example.speaksMqtt5();
    }

    /** How soon it must have ended from its first line, "Connecting to ...", where the fault promises more. */
    public Optional<Duration> boundFromConnecting() {
        return boundFromConnecting;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What the broker must have or refuse for this fault to be injected. */
    public Requirement needs() {
        return needs;
    }

    /** Whether the fault exists for this kind of example (a WebSocket path only for WebSocket examples). */
    public boolean appliesTo(Example example) {
        return this != WRONG_WEBSOCKET_PATH || example.transport() == Transport.WSS;
    }

    public void injectInto(ExampleRun run, TestBed bed) {
        injection.accept(run, bed);
    }
}
