package serverless.harness;

/**
 * What a test needs of the broker to run: a {@link Broker.Trait} the broker declares, a {@link Broker.Refusal} the
 * probe finds it makes, or nothing ({@link #ANY_BROKER}). Where the broker does not meet it, the test is skipped with
 * {@link Broker#lacks} as the reason, never failed and never passed.
 */
public sealed interface Requirement permits Requirement.AnyBroker, Broker.Trait, Broker.Refusal {

    /** For a test that runs against any broker, such as a missing setting, which ends the same whatever the broker. */
    Requirement ANY_BROKER = AnyBroker.INSTANCE;

    boolean isMetBy(Broker broker);

    /** The requirement every broker meets; {@link #ANY_BROKER} is its one value. */
    enum AnyBroker implements Requirement {
        INSTANCE;

        @Override
        public boolean isMetBy(Broker broker) {
            return true;
        }
    }
}
