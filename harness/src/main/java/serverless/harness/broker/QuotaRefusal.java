package serverless.harness.broker;

/**
 * One thing the broker refused because a client went over a Serverless quota: a PUBLISH over the rate, a
 * subscription over the count or too deep, a client id too long, a packet too large.
 *
 * @param clientId the client that went over it
 * @param quota which quota
 */
public record QuotaRefusal(String clientId, Quota quota) {
}
