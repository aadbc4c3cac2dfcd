package serverless.examples.spring;

import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * When binding the {@code mqtt.*} settings fails, the failure becomes a {@link SettingsException}: the line
 * that names the variable, and exit code 2. Two ways to fail: a value that is not a number where one is
 * needed (Boot's conversion of {@code MQTT_PORT=eighty}), and an error from {@link MqttSettings#validate}.
 * A hook Boot offers for exactly this ({@link ConfigurationPropertiesBindHandlerAdvisor}); without it a binding
 * error has no exit code of its own.
 */
final class SettingsFailures implements ConfigurationPropertiesBindHandlerAdvisor {

    private static final ConfigurationPropertyName MQTT = ConfigurationPropertyName.of("mqtt");

    @Override
    public BindHandler apply(BindHandler bindHandler) {
        return new AbstractBindHandler(bindHandler) {
            @Override
            public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                    Exception error) throws Exception {
                if (!MQTT.equals(name)) {
                    return super.onFailure(name, target, context, error); // a single property, or not ours
                }
                throw new SettingsException(line(error), error);
            }
        };
    }

    /** The line for a failure to bind {@code mqtt}: the first validation error, or the value that did not convert. */
    static String line(Exception error) {
        if (error instanceof BindValidationException invalid) {
            return invalid.getValidationErrors().getAllErrors().get(0).getDefaultMessage();
        }
        if (error instanceof BindException bind && bind.getProperty() != null) {
            ConfigurationProperty property = bind.getProperty();
            Object value = property.getValue();
            return switch (property.getName().toString()) {
                case "mqtt.port" -> MqttSettings.badPort(value);
                case "mqtt.messages" -> MqttSettings.badMessages(value);
                case "mqtt.publish-rate" -> MqttSettings.badPublishRate(value);
                default -> property.getName() + " (" + property.getOrigin() + ") has a value that is not valid";
            };
        }
        return "The settings could not be read: " + error.getMessage();
    }
}
