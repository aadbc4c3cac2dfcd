package serverless.harness;

import java.util.Map;
import java.util.Optional;

/**
 * Every example the suite runs: a module's packaged jar and the main class of one variant. The display
 * name is what the test report shows, so the report reads like the module table in README.md.
 */
public enum Example {
    PAHO("paho-example", "serverless.examples.paho.PahoExample", "Paho, MQTT 3.1.1", Transport.TLS),
    PAHO_V5("paho-example", "serverless.examples.paho.PahoV5Example", "Paho, MQTT 5", Transport.TLS),
    HIVEMQ("hivemq-example", "serverless.examples.hivemq.HiveMqExample", "HiveMQ client, MQTT 5", Transport.TLS),
    HIVEMQ_V3("hivemq-example", "serverless.examples.hivemq.HiveMqV3Example", "HiveMQ client, MQTT 3.1.1", Transport.TLS),
    VERTX("vertx-example", "serverless.examples.vertx.VertxExample", "Vert.x MQTT, MQTT 3.1.1", Transport.TLS),
    PAHO_WEBSOCKET("websocket-example", "serverless.examples.websocket.PahoWebSocketExample", "Paho, MQTT 3.1.1", Transport.WSS),
    HIVEMQ_WEBSOCKET("websocket-example", "serverless.examples.websocket.HiveMqWebSocketExample", "HiveMQ client, MQTT 5", Transport.WSS),
    SPRING_BOOT(new JavaProgram("spring-boot-example", "serverless.examples.spring.SpringBootExample",
            JavaProgram.Launch.EXECUTABLE_JAR), "Spring Integration + Paho, MQTT 5", Transport.TLS),
    QUARKUS(new JavaProgram("quarkus-example", "serverless.examples.quarkus.QuarkusExample", JavaProgram.Launch.EXECUTABLE_JAR),
            "Quarkus Messaging (Vert.x MQTT), MQTT 3.1.1", Transport.TLS, Map.of(Ability.KEEP_MESSAGES_ACROSS_A_BROKER_RESTART,
                    "Quarkus Messaging's MQTT connector (smallrye-mqtt 4.33 on vertx-mqtt 4.5) confirms a send when it is written, not on the broker's PUBACK, and keeps nothing across a reconnect; the example's resend of what has not come back still lost messages across a restart here (22 and 39 of 1000 in two of three runs), so no restart without loss is claimed for it")),
    NODE(new ScriptProgram("node-example", ScriptProgram.Runtime.NODE, "example.js"), "MQTT.js (Node.js), MQTT 3.1.1", Transport.TLS),
    PYTHON(new ScriptProgram("python-example", ScriptProgram.Runtime.PYTHON, "example.py"), "Paho Python, MQTT 3.1.1", Transport.TLS);

    /** How the example reaches the broker: MQTT over TLS (8883) or MQTT over secure WebSocket (8084). */
    public enum Transport { TLS, WSS }

    /**
     * What the suites prove of every example but a stack may be unable to do. A row that lists one says why
     * (what its README says), and the suite that proves it skips that example with the reason.
     */
    public enum Ability {
        /** Keep every QoS 1 message, and go on, when the broker restarts in the middle of a run (RestartIT). */
        KEEP_MESSAGES_ACROSS_A_BROKER_RESTART
    }

    private final Program program;
    private final String stack;
    private final Transport transport;
    private final Map<Ability, String> cannot;

    Example(String module, String mainClass, String stack, Transport transport) {
        this(new JavaProgram(module, mainClass), stack, transport);
    }

    Example(Program program, String stack, Transport transport) {
        this(program, stack, transport, Map.of());
    }

    Example(Program program, String stack, Transport transport, Map<Ability, String> cannot) {
        this.program = program;
        this.stack = stack;
        this.transport = transport;
        this.cannot = Map.copyOf(cannot);
    }

    /** Why this example cannot run on this machine (e.g. its runtime is not installed), or empty when it can. */
    public Optional<String> unavailableReason() {
        return program.skipReason();
    }

    /** Why this example cannot do {@code ability}, or empty when it can. */
    public Optional<String> cannot(Ability ability) {
        return Optional.ofNullable(cannot.get(ability));
    }

    public Program program() {
        return program;
    }

    public Transport transport() {
        return transport;
    }

    /** Whether it speaks MQTT 5, which can be told why a message was refused (a PUBACK reason code). */
    public boolean speaksMqtt5() {
        return stack.endsWith("MQTT 5");
    }

    /** The client library and MQTT version, e.g. {@code Paho, MQTT 3.1.1}. */
    public String stack() {
        return stack;
    }

    @Override
    public String toString() {
        return program.module() + " " + program.simpleName() + " (" + stack + ", " + transport + ")";
    }
}
