package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import serverless.harness.Broker.Refusal;

/**
 * {@code -Dbroker=external} against a real self-hosted broker: Mosquitto 2 (Debian's package is 2.0.11), set up as a
 * user sets up a TLS-only one ({@link Mosquitto}), described by MQTT_* variables and probed exactly as
 * {@link ExternalModeIT} does with the local broker's direct listeners. The probe must find what Mosquitto is: it
 * accepts a handshake with any SNI or none and upgrades a WebSocket on any path, enforces none of Serverless' quotas,
 * and its certificate (the run's test one) does not name 127.0.0.1. Then every example's round trip, the fault cases
 * that hinge on its refusals, and the doctor pass against it, and the refusals it does not make are skipped with the
 * probe's finding. Skipped, with the reason, where Mosquitto is not installed.
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@Timeout(60)
class MosquittoIT {

    private static Mosquitto mosquitto;

    /** Before the test bed is set up: where Mosquitto is missing, nothing else is needed. */
    @BeforeAll
    static void mosquittoIsInstalled() {
        Mosquitto.unavailableReason().ifPresent(reason -> Assumptions.abort(reason + ": not tested"));
    }

    @AfterAll
    static void stopMosquitto() throws Exception {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> aTlsOnlyMosquittoPassesWithTheRestSkipped(TestBed bed) throws Exception {
        mosquitto = Mosquitto.start(bed.pki()); // stopped once every case has run
        Broker probed = ProbedBroker.probe(ExternalModeIT.describedByVariables(mosquitto.endpoint(), bed));
        assertEquals(List.of(Refusal.IP_ADDRESS), ExternalModeIT.refusals(probed),
                "Mosquitto accepts a handshake without SNI or with another name, upgrades a WebSocket on a wrong path"
                        + " and has none of Serverless' quotas; its certificate does not name 127.0.0.1");
        return ExternalModeIT.casesAgainst(probed, bed, "mosquitto-", mosquitto.noWebSocket());
    }
}
