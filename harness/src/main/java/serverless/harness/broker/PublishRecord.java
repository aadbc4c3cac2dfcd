package serverless.harness.broker;

import java.time.Instant;

/**
 * One PUBLISH the broker received from a client.
 *
 * @param time when the broker received it
 * @param clientId the publishing client
 * @param topic the topic it was published to
 * @param qos its quality of service, 0 to 2
 */
public record PublishRecord(Instant time, String clientId, String topic, int qos) {
}
