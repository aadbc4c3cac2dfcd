package serverless.examples.spring;

import org.springframework.boot.ExitCodeGenerator;

/**
 * The connection or the round trip failed: the first connect, the subscription, or messages that did not come
 * back. It carries the settings, so that {@link Failures} can add what they explain (an IP address in
 * MQTT_HOST, the client id's length). Spring Boot takes the exit code from it: 1.
 */
final class ExampleFailure extends RuntimeException implements ExitCodeGenerator {

    private final transient MqttSettings settings;

    ExampleFailure(Throwable cause, MqttSettings settings) {
        super(cause.getMessage(), cause);
        this.settings = settings;
    }

    MqttSettings settings() {
        return settings;
    }

    @Override
    public int getExitCode() {
        return 1;
    }
}
