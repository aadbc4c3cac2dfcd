package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example and the doctor check their settings before they connect: each setting users get wrong
 * (most often a URL pasted from a console or another client into MQTT_HOST) ends at once with exit 2 and
 * one line that names the variable and says what to set instead. No broker is needed: nothing may connect.
 */
@CompleteTier
@Timeout(60)
class SettingsIT {

    private static final String HOST = LocalDeployment.HOST;
    /**
     * At once: before the first connect's own 10 s bound could have run out. Exit code 2, the phrase and no
     * "Connected" prove the settings were checked before connecting; the bound catches a setting that is only
     * noticed after a network wait (the 20 s round trip, the 21 s an example once waited). A bare client ends
     * in well under a second; a framework (Spring Boot, Quarkus) builds its context first, 3 to 4 CPU-seconds,
     * which on two busy cores took up to 6 s.
     */
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String SECRET_IN_URL = "s3cret-in-the-url";

    /** A setting as users get it wrong, and the words the line must contain. */
    enum BadSetting {
        HOST_NOT_SET(run -> run.unset("MQTT_HOST"), "MQTT_HOST is not set"),
        HOST_AS_MQTTS_URL(host("mqtts://" + HOST + ":8883"), "MQTT_HOST=" + HOST, "MQTT_PORT=8883"),
        HOST_AS_SSL_URL(host("ssl://" + HOST), "MQTT_HOST=" + HOST),
        HOST_AS_WSS_URL(host("wss://" + HOST + ":8084/mqtt"), "MQTT_HOST=" + HOST, "_PORT=8084"),
        HOST_WITH_PORT(host(HOST + ":8883"), "MQTT_HOST=" + HOST, "MQTT_PORT=8883"),
        HOST_WITH_SPACE(host("deployment .emqxsl.test"), "MQTT_HOST"),
        /** The line must not repeat what was pasted: a URL may carry a password. */
        HOST_AS_URL_WITH_CREDENTIALS(host("mqtts://someone:" + SECRET_IN_URL + "@" + HOST + ":8883"),
                "MQTT_HOST=" + HOST, "MQTT_PORT=8883"),
        /** No client can use it with Serverless (no SNI, no name to check); some cannot even put it in a URL. */
        HOST_AS_IPV6_ADDRESS(host("2001:db8::1"), "MQTT_HOST", "IPv6", "domain name"),
        PORT_NOT_A_NUMBER(run -> run.set("MQTT_PORT", "eighty"), "MQTT_PORT"),
        TOPIC_WITH_SINGLE_LEVEL_WILDCARD(topic("serverless-examples/+/test"), "MQTT_TOPIC", "wildcard"),
        TOPIC_WITH_MULTI_LEVEL_WILDCARD(topic("serverless-examples/#"), "MQTT_TOPIC", "wildcard"),
        TOPIC_LONGER_THAN_MQTT_ALLOWS(topic("t".repeat(65_536)), "MQTT_TOPIC", "65535"),
        CA_FILE_MISSING(run -> run.set("MQTT_CA_FILE", "/nonexistent/emqxsl-ca.crt"), "MQTT_CA_FILE"),
        CA_FILE_IS_A_DIRECTORY(run -> run.set("MQTT_CA_FILE", System.getProperty("java.io.tmpdir")),
                "MQTT_CA_FILE", "directory"),
        MESSAGES_NOT_A_NUMBER(run -> run.set("MQTT_MESSAGES", "many"), "MQTT_MESSAGES"),
        PUBLISH_RATE_NOT_A_NUMBER(run -> run.set("MQTT_PUBLISH_RATE", "ten"), "MQTT_PUBLISH_RATE"),
        PUBLISH_RATE_NEGATIVE(run -> run.set("MQTT_PUBLISH_RATE", "-1"), "MQTT_PUBLISH_RATE");

        private final Consumer<ExampleRun> injection;
        private final List<String> phrases;

        BadSetting(Consumer<ExampleRun> injection, String... phrases) {
            this.injection = injection;
            this.phrases = List.of(phrases);
        }

        private static Consumer<ExampleRun> host(String value) {
            return run -> run.set("MQTT_HOST", value);
        }

        private static Consumer<ExampleRun> topic(String value) {
            return run -> run.set("MQTT_TOPIC", value);
        }
    }

    /**
     * The doctor sends one message of its own: it has no MQTT_MESSAGES and no MQTT_PUBLISH_RATE. An IP address is
     * something it diagnoses (its address step warns, then it probes the address), not a setting it refuses.
     */
    private static final Set<BadSetting> NOT_FOR_THE_DOCTOR = EnumSet.of(BadSetting.MESSAGES_NOT_A_NUMBER,
            BadSetting.PUBLISH_RATE_NOT_A_NUMBER, BadSetting.PUBLISH_RATE_NEGATIVE, BadSetting.HOST_AS_IPV6_ADDRESS);

    /** Where the settings point: nowhere this JVM or the programs' can reach, so that nothing connects by mistake. */
    private static final Broker NOWHERE = new Broker() {
        private final Endpoint endpoint = new Endpoint(HOST, 8883, 8084, "/mqtt", Optional.empty(), "settings-user",
                DeploymentFiles.randomSecret(), Optional.empty());

        @Override
        public String description() {
            return "none: settings are checked before connecting";
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public Set<Trait> traits() {
            return Set.of();
        }
    };

    static Stream<Arguments> cases() {
        Stream<Arguments> examples = Arrays.stream(Example.values()).flatMap(example -> Arrays.stream(BadSetting.values())
                .map(setting -> Arguments.of(example.toString(), ExampleRun.of(example, NOWHERE, runName(setting, example.name())),
                        setting)));
        Stream<Arguments> doctor = Arrays.stream(BadSetting.values()).filter(setting -> !NOT_FOR_THE_DOCTOR.contains(setting))
                .map(setting -> Arguments.of("doctor", ExampleRun.ofDoctor(NOWHERE, runName(setting, "doctor")), setting));
        return Stream.concat(examples, doctor);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("cases")
    void badSettingEndsAtOnceInOneLine(String program, ExampleRun run, BadSetting setting) {
        setting.injection.accept(run);

        RunResult result = run.execute();

        ErrorLineAssertions.assertEndsInOneErrorLine(result, new ErrorLineAssertions.ExpectedError(2, setting.phrases, BOUND),
                NOWHERE.password(),
                () -> assertFalse(result.stdout().contains("Connected") || result.stdout().contains("PASS  tls"),
                        "nothing may connect"),
                () -> assertFalse(result.stderr().contains(SECRET_IN_URL) || result.stdout().contains(SECRET_IN_URL),
                        "a password pasted inside a URL is never repeated"));
    }

    private static String runName(BadSetting setting, String program) {
        return "settings-" + setting.name().toLowerCase(Locale.ROOT) + "-" + program.toLowerCase(Locale.ROOT);
    }
}
