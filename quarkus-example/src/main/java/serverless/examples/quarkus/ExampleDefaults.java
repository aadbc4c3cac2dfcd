package serverless.examples.quarkus;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The two settings application.properties cannot state, as a configuration source of the lowest priority
 * (anything a user sets wins over them). Registered in META-INF/services/io.smallrye.config.ConfigSourceFactory.
 *
 * <ul>
 *   <li>{@code mqtt.client-id}: {@code quarkus-<8 hex digits>}, new for each run. 16 characters: 23 or fewer is
 *       accepted by every broker (MQTT 3.1 allowed no more, and some deployments still refuse longer ones
 *       over MQTT 3.x).</li>
 *   <li>{@code quarkus.tls.mqtt.trust-store.pem.certs}: MQTT_CA_FILE, only when it is set. The TLS registry
 *       takes a trust store whose property is present at all as configured, and refuses an empty one, so
 *       application.properties cannot say "MQTT_CA_FILE, or else the JDK's trust store"; this source can.</li>
 * </ul>
 */
public final class ExampleDefaults implements ConfigSourceFactory {

    /** Below application.properties (250), environment variables (300) and system properties (400). */
    private static final int ORDINAL = 10;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("mqtt.client-id", "quarkus-" + UUID.randomUUID().toString().substring(0, 8));
        // [START trust_store]
        ConfigValue caFile = context.getValue("mqtt.ca-file"); // MQTT_CA_FILE
        if (caFile.getValue() != null && !caFile.getValue().isBlank()) {
            defaults.put("quarkus.tls.mqtt.trust-store.pem.certs", caFile.getValue().trim());
        } // else no trust store: Vert.x verifies the server with the JDK's default trust store
        // [END trust_store]
        return List.of(new PropertiesConfigSource(defaults, "quarkus-example defaults", ORDINAL));
    }
}
