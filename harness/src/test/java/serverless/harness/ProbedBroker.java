package serverless.harness;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import serverless.harness.BrokerProbe.Finding;

/**
 * A broker together with what {@link BrokerProbe} found it refuses: its capabilities are its own plus the
 * refusals it really makes, and a test that needs a refusal it does not make is skipped with the finding.
 */
final class ProbedBroker extends ForwardingBroker {

    private final Map<Capability, Finding> findings;
    private final Set<Capability> capabilities;

    private ProbedBroker(Broker broker, Map<Capability, Finding> findings) {
        super(broker);
        this.findings = findings;
        Set<Capability> all = EnumSet.noneOf(Capability.class);
        all.addAll(broker.capabilities());
        findings.forEach((capability, finding) -> {
            if (finding.refused()) {
                all.add(capability);
            }
        });
        this.capabilities = Set.copyOf(all);
    }

    /** Probes {@code broker} and prints what it found, so the run's output says what the suite will expect. */
    static ProbedBroker probe(Broker broker) {
        Map<Capability, Finding> findings = BrokerProbe.probe(broker);
        System.out.println("[harness] what " + broker.host() + " refuses, as probed:" + BrokerProbe.describe(findings));
        return new ProbedBroker(broker, findings);
    }

    @Override
    public String lacks(Capability capability) {
        Finding finding = findings.get(capability);
        return finding == null ? super.lacks(capability)
                : "the broker in use (" + host() + ") does not refuse " + finding.observed()
                        + ": not a fault there, so not tested";
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }
}
