package serverless.doctor;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the steps learn and hand on to later steps: the addresses, the TLS observations per port, the
 * connected MQTT clients; and warnings a later step adds to an earlier one (the host name is only known to
 * be missing from the certificate once the TLS step has seen it).
 */
final class Findings implements AutoCloseable {

    final Settings settings;
    final Trust trust;
    final List<InetAddress> addresses = new ArrayList<>();
    final Map<Integer, TlsObservation> tls = new LinkedHashMap<>();
    final Map<String, MqttConnection> mqtt = new LinkedHashMap<>();
    private final List<StepResult> revisits = new ArrayList<>();

    Findings(Settings settings, Trust trust) {
        this.settings = settings;
        this.trust = trust;
    }

    /** A result for an earlier step, printed after the current step's line. */
    void revisit(StepResult result) {
        revisits.add(result);
    }

    List<StepResult> takeRevisits() {
        List<StepResult> taken = List.copyOf(revisits);
        revisits.clear();
        return taken;
    }

    /** The ports the doctor checks: the TLS port, and the WSS port unless told not to. */
    List<Integer> ports() {
        List<Integer> ports = new ArrayList<>(List.of(settings.tlsPort()));
        if (settings.checkWss() && settings.wsPort() != settings.tlsPort()) {
            ports.add(settings.wsPort());
        }
        return ports;
    }

    @Override
    public void close() {
        mqtt.values().forEach(MqttConnection::close);
    }
}
