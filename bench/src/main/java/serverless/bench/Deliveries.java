package serverless.bench;

/** What a connection reports back to the measurement: messages that arrive, PUBACKs, and a failure. */
interface Deliveries {

    /** For connections that only connect: nothing is published or received. */
    Deliveries NONE = new Deliveries() {
        @Override
        public void received(byte[] payload) {
        }

        @Override
        public void acknowledged() {
        }

        @Override
        public void failed(Throwable error) {
        }
    };

    /** A message came back through the subscription (the payload as the stack hands it over). */
    void received(byte[] payload);

    /** The broker acknowledged one QoS 1 PUBLISH (PUBACK, success). Never called for QoS 0. */
    void acknowledged();

    /** The connection dropped, or the broker refused a message: the measurement ends with this error. */
    void failed(Throwable error);
}
