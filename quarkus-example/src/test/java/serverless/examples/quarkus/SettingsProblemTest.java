package serverless.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidationException.Problem;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A failed start's ConfigValidationException, in SmallRye Config's words (as Quarkus 3.33 reports them),
 * becomes the example's one line: the first problem in the order the variables are set, never the value.
 */
class SettingsProblemTest {

    private static final String PORT_REFUSED = "SRCFG00039: The config property mqtt.port with the config value"
            + " \"eighty\" threw an Exception whilst being converted MQTT_PORT=eighty is not a port number: Serverless"
            + " offers 8883 (MQTT over TLS) and 8084 (MQTT over WebSocket with TLS)";
    private static final String USERNAME_MISSING = "SRCFG00014: The config property mqtt.username is required but it"
            + " could not be found in any config source";

    @Test
    void aConverterRefusalIsTheConvertersOwnLine() {
        assertEquals("MQTT_PORT=eighty is not a port number: Serverless offers 8883 (MQTT over TLS) and 8084 (MQTT over"
                + " WebSocket with TLS)", SettingsProblem.line(PORT_REFUSED));
    }

    @Test
    void aMissingPropertyIsNamedByItsVariable() {
        assertEquals("MQTT_USERNAME is not set: export MQTT_USERNAME=<a user from the deployment's Authentication page>",
                SettingsProblem.line(USERNAME_MISSING));
    }

    @Test
    void ofSeveralProblemsTheFirstVariableIsReported() {
        ConfigValidationException error = new ConfigValidationException(
                new Problem[] {new Problem(USERNAME_MISSING), new Problem(PORT_REFUSED)});

        assertEquals(Optional.of(SettingsProblem.line(PORT_REFUSED)), SettingsProblem.describe(new RuntimeException(error)));
    }

    @Test
    void aConnectionFailureIsNoSettingsProblem() {
        assertEquals(Optional.empty(), SettingsProblem.describe(new java.net.ConnectException("refused")));
    }
}
