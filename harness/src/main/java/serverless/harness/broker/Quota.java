package serverless.harness.broker;

/**
 * The quotas of a Serverless deployment that the local broker enforces by refusing something, each with its limit
 * (EMQX Cloud's "Quotas and Limits", Serverless; none adjustable there) and refused as EMQX refuses it. One more
 * quota, 1000 queued messages per session, refuses nothing: the oldest queued message is dropped, as EMQX does
 * ({@link LocalBroker#SESSION_QUEUE_LENGTH}).
 */
public enum Quota {

    /**
     * Messages one client may publish a second: a token bucket of 10, refilled at 10 a second, of each connection's
     * own (a client that connects again starts with a full one, as in EMQX; see {@link PublishRate}). Over it, a QoS 1
     * PUBLISH gets PUBACK 0x97 (quota exceeded) from MQTT 5 and is not delivered; an MQTT 3.1.1 PUBACK has no
     * reason code, so a 3.1.1 client gets a plain PUBACK and the message is silently dropped; QoS 0 is dropped.
     */
    PUBLISH_RATE(10),
    /** Subscriptions one client may hold: a SUBSCRIBE to an 11th filter is refused in the SUBACK (0x97; MQTT 3.1.1 0x80). */
    SUBSCRIPTIONS(10),
    /** Levels of a subscribed topic filter: a deeper filter is refused in the SUBACK (0x8F topic filter invalid; 0x80). */
    TOPIC_LEVELS(10),
    /**
     * Bytes of a client id (EMQX counts bytes; characters, for an ASCII id): a longer one is refused in the CONNACK
     * (MQTT 5 0x85 client identifier not valid; MQTT 3.1.1 return code 2, identifier rejected).
     */
    CLIENT_ID_LENGTH(1024),
    /**
     * Bytes of an MQTT packet after its fixed header (EMQX's max_packet_size, 1 MB, is checked against the packet's
     * remaining length): a larger packet closes the connection, after a DISCONNECT 0x95 (packet too large) for MQTT 5.
     */
    MESSAGE_SIZE(1024 * 1024);

    private final int limit;

    Quota(int limit) {
        this.limit = limit;
    }

    /** The limit: messages a second, subscriptions, levels, or bytes. */
    public int limit() {
        return limit;
    }
}
