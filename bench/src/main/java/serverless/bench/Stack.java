package serverless.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import serverless.harness.GoProgram;
import serverless.harness.Program;
import serverless.harness.ScriptProgram;

/**
 * Every MQTT stack the examples use (the Java ones, the Node.js and Python ones as scripts, and the Go one as a
 * program built from bench/go), and the floor. The frameworks are not here: Spring Boot's example runs
 * Paho MQTT 5 underneath (Spring Integration) and Quarkus' the Vert.x MQTT client, and on the wire they are those
 * clients; what they add is start-up time, which their READMEs measure.
 */
enum Stack {
    FLOOR("floor", "JDK SSLSocket (floor)", "MQTT 3.1.1", List.of(Transport.TLS)),
    PAHO_V3("paho-v3", "Paho 1.2.5", "MQTT 3.1.1", List.of(Transport.TLS, Transport.WSS)),
    PAHO_V5("paho-v5", "Paho 1.2.5", "MQTT 5", List.of(Transport.TLS, Transport.WSS)),
    HIVEMQ_V5("hivemq-v5", "HiveMQ client 1.4.2", "MQTT 5", List.of(Transport.TLS, Transport.WSS)),
    HIVEMQ_V3("hivemq-v3", "HiveMQ client 1.4.2", "MQTT 3.1.1", List.of(Transport.TLS, Transport.WSS)),
    /** The Vert.x MQTT client has no WebSocket transport. */
    VERTX("vertx", "Vert.x MQTT 5.0.7", "MQTT 3.1.1", List.of(Transport.TLS)),
    /** node-example's stack, over TLS as that example: bench/node/bench.js, run by Node.js. */
    MQTT_JS("mqttjs", "MQTT.js 5.16.0 (Node.js)", "MQTT 3.1.1", List.of(Transport.TLS)),
    /** python-example's stack, over TLS as that example: bench/python/bench.py, run by Python 3. */
    PAHO_PYTHON("paho-python", "Paho Python 2.1.0", "MQTT 3.1.1", List.of(Transport.TLS)),
    /** go-example's stack, over TLS as that example: bench/go, built once per run and run as its binary. */
    PAHO_GO("paho-go", "Paho Go 1.5.1", "MQTT 3.1.1", List.of(Transport.TLS));

    private final String id;
    private final String library;
    private final String protocol;
    private final List<Transport> transports;

    Stack(String id, String library, String protocol, List<Transport> transports) {
        this.id = id;
        this.library = library;
        this.protocol = protocol;
        this.transports = transports;
    }

    String id() {
        return id;
    }

    /** e.g. "Paho 1.2.5, MQTT 5". */
    String label() {
        return library + ", " + protocol;
    }

    List<Transport> transports() {
        return transports;
    }

    /** A client of this stack over the transport, with every setting the figures depend on. */
    BenchClient client(Target target, Transport transport, int window) throws Exception {
        return switch (this) {
            case FLOOR -> new FloorClient(target);
            case PAHO_V3 -> new PahoV3Client(target, transport, window);
            case PAHO_V5 -> new PahoV5Client(target, transport);
            case HIVEMQ_V5 -> new HiveMqV5Client(target, transport);
            case HIVEMQ_V3 -> new HiveMqV3Client(target, transport);
            case VERTX -> new VertxClient(target, window);
            case MQTT_JS, PAHO_PYTHON, PAHO_GO ->
                    throw new IllegalStateException(id + " runs outside the JVM: see program()");
        };
    }

    /**
     * The stacks that run outside the JVM, each a program doing the same work, run the way the harness runs the
     * examples: the Node.js and Python stacks as scripts, run by their interpreter with their dependencies installed
     * from their lock file into their own target folder (the harness' {@link ScriptProgram}); the Go stack as a
     * binary, built once per run with {@code go build} into {@code bench/go/target}, with the harness' resolver
     * added for that build (its {@link GoProgram}). Empty for the Java stacks, which run {@link StackRun}.
     */
    Optional<Program> program() {
        return switch (this) {
            case MQTT_JS -> Optional.of(new ScriptProgram("bench/node", ScriptProgram.Runtime.NODE, "bench.js"));
            case PAHO_PYTHON -> Optional.of(new ScriptProgram("bench/python", ScriptProgram.Runtime.PYTHON, "bench.py"));
            case PAHO_GO -> Optional.of(new GoProgram("bench/go", "bench-go"));
            default -> Optional.empty();
        };
    }

    static Optional<Stack> byId(String id) {
        return Arrays.stream(values()).filter(stack -> stack.id.equals(id)).findFirst();
    }

    static String ids() {
        return Arrays.stream(values()).map(Stack::id).collect(Collectors.joining(","));
    }
}
