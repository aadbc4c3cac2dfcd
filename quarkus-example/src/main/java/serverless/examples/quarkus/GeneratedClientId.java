package serverless.examples.quarkus;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The default client id, {@code quarkus-<8 hex digits>}: a configuration source of the lowest priority, so
 * MQTT_CLIENT_ID (or mqtt.client-id anywhere else) wins over it. 16 characters: 23 or fewer is accepted by
 * every broker (MQTT 3.1 allowed no more, and some deployments still refuse longer ones over MQTT 3.x).
 * Registered in META-INF/services/org.eclipse.microprofile.config.spi.ConfigSource.
 */
public final class GeneratedClientId implements ConfigSource {

    private final Map<String, String> properties =
            Map.of("mqtt.client-id", "quarkus-" + UUID.randomUUID().toString().substring(0, 8));

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "generated client id";
    }

    /** Below application.properties (250), environment variables (300) and system properties (400). */
    @Override
    public int getOrdinal() {
        return 10;
    }
}
