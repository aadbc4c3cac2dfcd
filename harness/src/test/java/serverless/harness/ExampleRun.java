package serverless.harness;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * One planned run of an example: the MQTT_* variables a user would export, with a client id and topic
 * unique to this run so runs never see each other's messages. Tests change the variables to inject faults.
 */
public final class ExampleRun {

    private final Program program;
    private final Broker broker;
    private final String clientId;
    private final String topic;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private ExampleRunner.JvmStart jvmStart = ExampleRunner.JvmStart.WITH_STARTUP_AIDS;

    private ExampleRun(Program program, Broker broker, String name, Map<String, String> deploymentVariables) {
        this.program = program;
        this.broker = broker;
        this.clientId = name + "-" + DeploymentFiles.randomSecret().substring(0, 8);
        this.topic = "serverless-examples/it/" + clientId;
        env.putAll(deploymentVariables);
        env.put("MQTT_CLIENT_ID", clientId);
        env.put("MQTT_TOPIC", topic);
    }

    /**
     * A run of {@code example} against {@code broker}, given the variables a user exports for its transport;
     * {@code name} goes into the client id and log file names.
     */
    public static ExampleRun of(Example example, Broker broker, String name) {
        return new ExampleRun(example.program(), broker, name, broker.endpoint().variablesFor(example.transport()));
    }

    /**
     * A run of a single-file starter, given only the deployment's variables as its README exports them: a starter reads
     * no MQTT_CLIENT_ID or MQTT_TOPIC and names its own ({@link RoundTripAssertions#printedClientId}), so here
     * {@link #clientId()} names only the run's log.
     */
    public static ExampleRun of(Starter starter, Broker broker, String name) {
        return new ExampleRun(starter.program(), broker, name, broker.endpoint().starterVariables(starter.transport()))
                .unset("MQTT_CLIENT_ID").unset("MQTT_TOPIC");
    }

    /**
     * A run of the doctor, which checks both transports: MQTT_PORT and MQTT_WS_PORT, MQTT_WS_PATH. MQTT_CLIENT_ID is
     * left unset, as a user runs the doctor: it then names its own client ids ({@code doctor-<8 hex digits>-ssl} and
     * {@code -wss}), and {@link #clientId()} names only the run's log. A test of the user's client id sets it.
     */
    public static ExampleRun ofDoctor(Broker broker, String name) {
        return new ExampleRun(JavaProgram.DOCTOR, broker, name, broker.endpoint().variables()).unset("MQTT_CLIENT_ID");
    }

    public ExampleRun set(String variable, String value) {
        env.put(variable, value);
        return this;
    }

    /** A JVM option for the example's JVM, e.g. {@code -Djdk.tls.client.protocols=TLSv1.2}. */
    public ExampleRun jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /**
     * Starts a Java program with exactly the command users type, without the suite's start-up aids (see
     * {@link ExampleRunner.JvmStart}): slower, and the proof that the command users are given works as it is.
     */
    public ExampleRun asUsersTypeIt() {
        jvmStart = ExampleRunner.JvmStart.AS_USERS_TYPE_IT;
        return this;
    }

    public ExampleRun unset(String variable) {
        env.remove(variable);
        return this;
    }

    /** The broker this run goes to. */
    public Broker broker() {
        return broker;
    }

    /** The program it runs. */
    public Program program() {
        return program;
    }

    /** The JVM options of a Java program's run, beyond the suite's own. */
    List<String> jvmOptions() {
        return List.copyOf(jvmOptions);
    }

    ExampleRunner.JvmStart jvmStart() {
        return jvmStart;
    }

    /** The variables the program gets, as set so far. */
    public Map<String, String> environment() {
        return Map.copyOf(env);
    }

    public String clientId() {
        return clientId;
    }

    public String topic() {
        return topic;
    }

    /**
     * Runs it to its end. A program that cannot run on this machine (see {@link Program#unavailableReason()})
     * aborts the calling test, which JUnit then reports as skipped with that reason.
     */
    public RunResult execute() {
        assumeRunnable();
        return ExampleRunner.run(this);
    }

    /** Starts the run and returns at once; {@link RunningProgram#awaitResult()} gives its result. */
    public RunningProgram start() {
        assumeRunnable();
        return ExampleRunner.start(this);
    }

    private void assumeRunnable() {
        program.skipReason().ifPresent(Assumptions::abort);
    }
}
