package serverless.harness;

import java.util.Locale;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * Which broker the suites run against, as {@code -Dbroker} asks: {@code auto} (the default) becomes EMQX in a
 * container where Docker is available (in the complete tier), else the local broker.
 */
enum BrokerChoice {
    AUTO, EMQX, LOCAL, EXTERNAL;

    static BrokerChoice fromSystemProperty() {
        String value = System.getProperty("broker", "auto").trim();
        if (value.equalsIgnoreCase("embedded")) {
            return LOCAL; // its name before the local broker had one name everywhere: kept, so old commands still work
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dbroker=" + value + " is not one of auto, emqx, local, external");
        }
    }

    /** What {@code auto} comes to here, said on the run's output; {@code emqx} without Docker skips the run. */
    BrokerChoice resolved() {
        if (this == AUTO && !Tier.completeTierRuns()) {
            // The everyday tier proves the examples against the broker that behaves most like Serverless (SNI
            // enforced), without spending seconds on looking for Docker; the complete tier takes EMQX where it can.
            System.out.println("[harness] -Dbroker=auto, everyday tier: the local Serverless-like broker (the complete"
                    + " tier, " + Tier.COMPLETE_FLAG + ", runs against EMQX in a container where Docker works)");
            return LOCAL;
        }
        if (this == AUTO) {
            Optional<String> noDocker = Docker.unavailableReason();
            noDocker.ifPresent(reason -> System.out.println("[harness] -Dbroker=auto: " + reason
                    + "; using the local broker, and the EMQX tests are skipped"));
            return noDocker.isPresent() ? LOCAL : EMQX;
        }
        if (this == EMQX) {
            Docker.unavailableReason().ifPresent(reason -> {
                throw new TestAbortedException("-Dbroker=emqx runs EMQX in a container, but there is " + reason
                        + ": skipped, not passed. Run where Docker works, or use -Dbroker=local");
            });
        }
        return this;
    }
}
