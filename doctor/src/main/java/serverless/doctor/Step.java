package serverless.doctor;

import java.util.List;

/**
 * The steps, in the order of the Serverless troubleshooting list: the right address, the right port and
 * reachability, TLS (trust, host name), SNI, credentials, and a round trip with a known-good client.
 */
enum Step {
    ADDRESS("address"),
    PORTS("ports", ADDRESS),
    TLS("tls", PORTS),
    SNI("sni", TLS),
    MQTT("mqtt", TLS),
    ROUND_TRIP("round-trip", MQTT);

    private final String label;
    private final List<Step> needs;

    Step(String label, Step... needs) {
        this.label = label;
        this.needs = List.of(needs);
    }

    /** The name printed in the report. */
    String label() {
        return label;
    }

    /** The steps whose outcome this one builds on: when one of them did not pass, this one is skipped. */
    List<Step> needs() {
        return needs;
    }
}
