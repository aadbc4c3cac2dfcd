package serverless.examples.quarkus;

import io.smallrye.config.ConfigValidationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one line for a wrong setting. Quarkus checks {@link MqttSettings} as it starts and, when anything is
 * wrong, ends the start with one ConfigValidationException that lists every problem in SmallRye Config's
 * words ("SRCFG00014: The config property mqtt.username is required but ...", or, for a value a converter
 * refused, the converter's own message after SmallRye's "... whilst being converted"). The example prints
 * the first problem in the order a user sets the variables, in its own words, and never the value (a URL
 * pasted into MQTT_HOST may carry a password).
 */
final class SettingsProblem {

    /** SmallRye Config's wording (messages SRCFG00014 and SRCFG00039). */
    private static final Pattern MISSING = Pattern.compile("The config property (mqtt\\.[a-z-]+) is required");
    private static final String CONVERTER_REFUSED = " threw an Exception whilst being converted ";

    /** The variables in the order they are checked and reported, with what to put in the required ones. */
    private static final List<String> ORDER = List.of("MQTT_HOST", "MQTT_PORT", "MQTT_USERNAME", "MQTT_PASSWORD",
            "MQTT_CA_FILE", "MQTT_CLIENT_ID", "MQTT_TOPIC", "MQTT_MESSAGES", "MQTT_PUBLISH_RATE");
    private static final Map<String, String> HINTS = Map.of(
            "MQTT_HOST", "your deployment's address from the console, e.g. xxxxxxxx.ala.us-east-1.emqxsl.com",
            "MQTT_USERNAME", "a user from the deployment's Authentication page",
            "MQTT_PASSWORD", "that user's password");

    private SettingsProblem() {
    }

    /** The line for a settings problem anywhere in the cause chain, or empty when it is no settings problem. */
    static Optional<String> describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SettingsException settings) {
                return Optional.of(settings.getMessage());
            }
            if (t instanceof ConfigValidationException invalid) {
                String first = null;
                for (int i = 0; i < invalid.getProblemCount(); i++) {
                    String line = line(invalid.getProblem(i).getMessage());
                    if (first == null || rank(line) < rank(first)) {
                        first = line;
                    }
                }
                return Optional.ofNullable(first);
            }
        }
        return Optional.empty();
    }

    /** One problem in the example's words. */
    static String line(String problem) {
        int refused = problem.lastIndexOf(CONVERTER_REFUSED);
        if (refused >= 0) {
            return problem.substring(refused + CONVERTER_REFUSED.length()); // a SettingChecks message
        }
        Matcher missing = MISSING.matcher(problem);
        if (missing.find()) {
            String variable = missing.group(1).toUpperCase().replace('.', '_').replace('-', '_');
            return variable + " is not set: export " + variable + "=<" + HINTS.getOrDefault(variable, "a value") + ">";
        }
        // Anything else SmallRye Config reports; it names the property, not its value.
        return "a setting is wrong: " + problem.replaceAll("\\s+", " ");
    }

    private static int rank(String line) {
        for (int i = 0; i < ORDER.size(); i++) {
            if (line.startsWith(ORDER.get(i))) {
                return i;
            }
        }
        return ORDER.size();
    }
}
