package serverless.harness;

import java.util.Collections;
import java.util.Map;
import java.util.function.Function;
import serverless.harness.BrokerProbe.Finding;

/**
 * A broker together with what {@link BrokerProbe} finds it refuses: it has the traits of the broker it wraps, and
 * {@link #refuses} answers with what the probe found, so that a test that needs a refusal the broker does not make is
 * skipped with the finding.
 *
 * <p>Each group of probes (the handshake and upgrade refusals; the quotas, whose probe waits seconds for a burst)
 * runs when a test first asks about one of its refusals, once per run, and prints what it found. A run that
 * never asks, such as the everyday tier's round trips, never pays for it.
 */
final class ProbedBroker extends ForwardingBroker {

    private final Probes handshakes;
    private final Probes quotas;

    private ProbedBroker(Broker broker) {
        super(broker);
        this.handshakes = new Probes(broker, BrokerProbe::refusals);
        this.quotas = new Probes(broker, BrokerProbe::quotas);
    }

    /** {@code broker}, probed for each refusal when a test first needs to know it. */
    static ProbedBroker probe(Broker broker) {
        return new ProbedBroker(broker);
    }

    @Override
    public boolean refuses(Refusal refusal) {
        return findingOf(refusal).refused();
    }

    @Override
    public String lacks(Requirement requirement) {
        if (requirement instanceof Refusal refusal) {
            return "the broker in use (" + host() + ") does not refuse " + findingOf(refusal).observed()
                    + ": not a fault there, so not tested";
        }
        return super.lacks(requirement);
    }

    /** What the probe of {@code refusal} found, probing now (with the rest of its group) if no test asked before. */
    private Finding findingOf(Refusal refusal) {
        Probes probes = switch (refusal) {
            case MISSING_SNI, WRONG_SNI, IP_ADDRESS, WRONG_WEBSOCKET_PATH -> handshakes;
            case PUBLISHES_OVER_RATE, LONG_CLIENT_ID, DEEP_TOPIC_FILTER -> quotas;
        };
        return probes.findings().get(refusal);
    }

    /** One group of probes, run once on first need; the run's output says what they found. */
    private static final class Probes {
        private final Broker broker;
        private final Function<Broker, Map<Refusal, Finding>> probe;
        private Map<Refusal, Finding> findings;

        Probes(Broker broker, Function<Broker, Map<Refusal, Finding>> probe) {
            this.broker = broker;
            this.probe = probe;
        }

        synchronized Map<Refusal, Finding> findings() {
            if (findings == null) {
                findings = Collections.unmodifiableMap(probe.apply(broker)); // in the order probed
                System.out.println("[harness] what " + broker.host() + " refuses, as probed:" + BrokerProbe.describe(findings));
            }
            return findings;
        }
    }
}
