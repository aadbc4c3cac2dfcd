package serverless.harness;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import serverless.harness.BrokerProbe.Finding;

/**
 * A broker together with what {@link BrokerProbe} finds it refuses: its capabilities are its own plus the
 * refusals it really makes, and a test that needs a refusal it does not make is skipped with the finding.
 *
 * <p>Each group of probes (the handshake and upgrade refusals; the quotas, whose probe waits seconds for a burst)
 * runs when a test first asks about one of its capabilities, once per run, and prints what it found. A run that
 * never asks, such as the everyday tier's round trips, never pays for it.
 */
final class ProbedBroker extends ForwardingBroker {

    private final Probes refusals;
    private final Probes quotas;

    private ProbedBroker(Broker broker) {
        super(broker);
        this.refusals = new Probes(broker, BrokerProbe::refusals);
        this.quotas = new Probes(broker, BrokerProbe::quotas);
    }

    /** {@code broker}, probed for each refusal when a test first needs to know it. */
    static ProbedBroker probe(Broker broker) {
        return new ProbedBroker(broker);
    }

    @Override
    public boolean can(Capability capability) {
        Finding finding = findingOf(capability);
        return super.capabilities().contains(capability) || finding != null && finding.refused();
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> all = EnumSet.noneOf(Capability.class);
        for (Capability capability : Capability.values()) {
            if (can(capability)) {
                all.add(capability);
            }
        }
        return Set.copyOf(all);
    }

    @Override
    public String lacks(Capability capability) {
        Finding finding = findingOf(capability);
        return finding == null ? super.lacks(capability)
                : "the broker in use (" + host() + ") does not refuse " + finding.observed()
                        + ": not a fault there, so not tested";
    }

    /** What the probe of {@code capability} found, probing now if no test asked before; null if it is not probed. */
    private Finding findingOf(Capability capability) {
        Probes probes = switch (capability) {
            case REFUSES_MISSING_SNI, REFUSES_WRONG_SNI, REFUSES_IP_ADDRESS, REFUSES_WRONG_WEBSOCKET_PATH -> refusals;
            case REFUSES_PUBLISHES_OVER_RATE, REFUSES_LONG_CLIENT_ID -> quotas;
            case CONNECTION_LOG, LOCAL -> null;
        };
        return probes == null ? null : probes.findings().get(capability);
    }

    /** One group of probes, run once on first need; the run's output says what they found. */
    private static final class Probes {
        private final Broker broker;
        private final Function<Broker, Map<Capability, Finding>> probe;
        private Map<Capability, Finding> findings;

        Probes(Broker broker, Function<Broker, Map<Capability, Finding>> probe) {
            this.broker = broker;
            this.probe = probe;
        }

        synchronized Map<Capability, Finding> findings() {
            if (findings == null) {
                findings = Collections.unmodifiableMap(probe.apply(broker)); // in the order probed
                System.out.println("[harness] what " + broker.host() + " refuses, as probed:" + BrokerProbe.describe(findings));
            }
            return findings;
        }
    }
}
