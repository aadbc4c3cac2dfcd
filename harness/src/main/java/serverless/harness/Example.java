package serverless.harness;

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
            "Quarkus Messaging (Vert.x MQTT), MQTT 3.1.1", Transport.TLS),
    NODE(new ScriptProgram("node-example", ScriptProgram.Runtime.NODE, "example.js"), "MQTT.js (Node.js), MQTT 3.1.1", Transport.TLS),
    PYTHON(new ScriptProgram("python-example", ScriptProgram.Runtime.PYTHON, "example.py"), "Paho Python, MQTT 3.1.1", Transport.TLS),
    GO(new GoProgram("go-example", "go-example"), "paho.mqtt.golang, MQTT 3.1.1", Transport.TLS);

    private final Program program;
    private final String stack;
    private final Transport transport;

    Example(String module, String mainClass, String stack, Transport transport) {
        this(new JavaProgram(module, mainClass), stack, transport);
    }

    Example(Program program, String stack, Transport transport) {
        this.program = program;
        this.stack = stack;
        this.transport = transport;
    }

    /** Why this example cannot run on this machine (e.g. its runtime is not installed), or empty when it can. */
    public Optional<String> unavailableReason() {
        return program.skipReason();
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
