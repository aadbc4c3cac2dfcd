package serverless.harness;

import java.nio.file.Path;

/**
 * Every single-file starter: the one file per stack that a user copies whole, beside the full example in the same
 * module. A starter reads only the deployment's variables ({@code MQTT_HOST}, {@code MQTT_PORT}, {@code MQTT_USERNAME},
 * {@code MQTT_PASSWORD}, {@code MQTT_CA_FILE}), names its own client id and topic, sends one QoS 1 message and prints
 * the contract's six lines; on any failure one {@code ERROR:} line with its library's own words and exit code 1.
 */
public enum Starter {
    PAHO("paho-example", "serverless.examples.paho.PahoStarter", "Paho, MQTT 3.1.1", Transport.TLS),
    PAHO_V5("paho-example", "serverless.examples.paho.PahoV5Starter", "Paho, MQTT 5", Transport.TLS),
    HIVEMQ("hivemq-example", "serverless.examples.hivemq.HiveMqStarter", "HiveMQ client, MQTT 5", Transport.TLS),
    VERTX("vertx-example", "serverless.examples.vertx.VertxStarter", "Vert.x MQTT, MQTT 3.1.1", Transport.TLS),
    PAHO_WEBSOCKET("websocket-example", "serverless.examples.websocket.PahoWebSocketStarter", "Paho, MQTT 3.1.1", Transport.WSS),
    HIVEMQ_WEBSOCKET("websocket-example", "serverless.examples.websocket.HiveMqWebSocketStarter", "HiveMQ client, MQTT 5",
            Transport.WSS),
    NODE(new ScriptProgram("node-example", ScriptProgram.Runtime.NODE, "starter.js"), "MQTT.js (Node.js), MQTT 3.1.1", Transport.TLS),
    PYTHON(new ScriptProgram("python-example", ScriptProgram.Runtime.PYTHON, "starter.py"), "Paho Python, MQTT 3.1.1",
            Transport.TLS),
    GO(new GoProgram("go-example", "./starter", "starter"), "paho.mqtt.golang, MQTT 3.1.1", Transport.TLS);

    private final Program program;
    private final String stack;
    private final Transport transport;

    Starter(String module, String mainClass, String stack, Transport transport) {
        this(new JavaProgram(module, mainClass), stack, transport);
    }

    Starter(Program program, String stack, Transport transport) {
        this.program = program;
        this.stack = stack;
        this.transport = transport;
    }

    public Program program() {
        return program;
    }

    public Transport transport() {
        return transport;
    }

    /** The client library and MQTT version, e.g. {@code Paho, MQTT 3.1.1}. */
    public String stack() {
        return stack;
    }

    /** The file a user copies, relative to its module folder, e.g. {@code src/main/java/.../PahoStarter.java}. */
    public String sourceFile() {
        if (program instanceof JavaProgram java) {
            return "src/main/java/" + java.mainClass().replace('.', '/') + ".java";
        }
        if (program instanceof ScriptProgram script) {
            return script.script();
        }
        return Path.of(((GoProgram) program).packagePath()).normalize().resolve("main.go").toString();
    }

    @Override
    public String toString() {
        return program.module() + " " + program.simpleName() + " (" + stack + ", " + transport + ")";
    }
}
