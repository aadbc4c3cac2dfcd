package serverless.doctor;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Steps 3 and 4: the TLS handshake as a client does it (SNI, trust, host name), and whether the server
 * refuses a handshake without SNI, as Serverless does.
 */
final class TlsChecks {

    private final Findings findings;

    TlsChecks(Findings findings) {
        this.findings = findings;
    }

    StepResult tls() throws GeneralSecurityException {
        Settings settings = findings.settings;
        boolean sendSni = !settings.hostIsIpAddress(); // an IP address is never sent as SNI (RFC 6066)
        List<String> details = new ArrayList<>();
        StepResult failure = null;
        List<X509Certificate> shownChain = List.of();
        for (int port : findings.ports()) {
            TlsObservation seen = TlsProbe.handshake(settings.host(), port, findings.trust, sendSni);
            findings.tls.put(port, seen);
            String sni = seen.serverNamesSent().isEmpty() ? "no SNI" : "SNI " + String.join(", ", seen.serverNamesSent());
            details.add("port " + port + ": " + sni + ", " + (seen.completed()
                    ? seen.protocol().orElse("?") + " " + seen.cipherSuite().orElse("?")
                    : "handshake failed: " + seen.failure().map(Throwable::getMessage).orElse("?")));
            if (seen.serverPresentedCertificate() && !seen.chain().equals(shownChain)) {
                details.addAll(Certificates.describe(seen.chain()));
                shownChain = seen.chain();
            }
            if (failure == null && !seen.completed()) {
                failure = diagnose(settings, seen);
                if (seen.serverPresentedCertificate() && seen.nameProblem().isPresent() && !settings.hostIsIpAddress()) {
                    findings.revisit(nameNotInCertificate(settings, seen));
                }
            }
        }
        if (failure != null) {
            return failure.withDetails(details);
        }
        TlsObservation first = findings.tls.get(settings.tlsPort());
        X509Certificate leaf = first.chain().get(0);
        return StepResult.pass(Step.TLS, first.protocol().orElse("?") + " " + first.cipherSuite().orElse("?")
                + " on " + joined(findings.ports()) + "; certificate for " + settings.host() + ", trusted by "
                + settings.trustShort() + ", " + Certificates.validity(leaf, Instant.now())).withDetails(details);
    }

    StepResult sni() throws GeneralSecurityException {
        Settings settings = findings.settings;
        TlsObservation seen = TlsProbe.handshake(settings.host(), settings.tlsPort(), findings.trust, false);
        if (!seen.serverPresentedCertificate()) {
            if (seen.failure().filter(e -> Causes.has(e, SocketTimeoutException.class)).isPresent()) {
                return StepResult.warn(Step.SNI, "a handshake without SNI got no answer within "
                        + TlsProbe.TIMEOUT.toSeconds() + " s on port " + settings.tlsPort(),
                        "Serverless closes such a handshake at once; a server that stays silent is unusual.");
            }
            return StepResult.pass(Step.SNI, "the server refused a handshake without SNI on port "
                    + settings.tlsPort() + ", as Serverless does: clients that send no SNI (old TLS stacks, an IP"
                    + " address as MQTT_HOST) fail there, some with an error like \"-5\"");
        }
        return StepResult.warn(Step.SNI, "the server accepted a handshake without SNI on port " + settings.tlsPort()
                        + " (Serverless refuses it)",
                "Either this is not a Serverless deployment, or something between this machine and the"
                        + " deployment terminates TLS (a proxy or load balancer): then it, not Serverless, must send"
                        + " the deployment's domain as SNI.");
    }

    /** The failed handshake in words, with what to do. */
    static StepResult diagnose(Settings settings, TlsObservation seen) {
        Exception error = seen.failure().orElseThrow();
        String exact = Causes.exact(error);
        int port = seen.port();
        String ipNote = settings.hostIsIpAddress()
                ? " MQTT_HOST " + settings.host() + " is an IP address: no SNI is sent, and no certificate can"
                        + " name it. Use the deployment's domain from the console." : "";
        if (!seen.serverPresentedCertificate()) {
            if (Causes.has(error, SocketTimeoutException.class)) {
                return StepResult.fail(Step.TLS, "the TLS handshake on port " + port + " timed out: no answer within "
                                + TlsProbe.TIMEOUT.toSeconds() + " s",
                        "The port accepts TCP but does not answer TLS. Check that it is a TLS port (8883 for MQTT over"
                                + " TLS, 8084 for WSS) and that no proxy holds the connection." + ipNote, exact);
            }
            if (Causes.messageContains(error, "Unsupported or unrecognized SSL message")) {
                return StepResult.fail(Step.TLS, "port " + port + " answered in plaintext, not TLS: it is not a TLS port",
                        "Serverless offers MQTT over TLS on 8883 and over WebSocket with TLS on 8084; the plaintext"
                                + " ports 1883 and 8083 are not offered.", exact);
            }
            if (Causes.messageContains(error, "protocol_version") || Causes.messageContains(error, "No appropriate protocol")) {
                return StepResult.fail(Step.TLS, "the server and this JVM share no TLS version on port " + port,
                        "Serverless speaks TLS 1.2 and 1.3: check that this JVM (jdk.tls.disabledAlgorithms,"
                                + " -Djdk.tls.client.protocols) has not disabled them.", exact);
            }
            if (Causes.has(error, ConnectException.class)) {
                return StepResult.fail(Step.TLS, "port " + port + ": connection refused",
                        "The port stopped answering since the ports step: is the deployment running?", exact);
            }
            String closed = Causes.has(error, EOFException.class) || Causes.messageContains(error, "terminated")
                    ? "closed" : "broke off (" + rootMessage(error) + ")";
            if (settings.hostIsIpAddress()) {
                return StepResult.fail(Step.TLS, "the server " + closed + " the TLS handshake on port " + port
                                + " right after a ClientHello without SNI: MQTT_HOST is an IP address",
                        "MQTT_HOST " + settings.host() + " is an IP address, so no SNI is sent, and Serverless refuses"
                                + " a handshake without SNI (no certificate could name the address either). Set"
                                + " MQTT_HOST to the deployment's domain from the console.", exact);
            }
            return StepResult.fail(Step.TLS, "the server " + closed + " the TLS handshake on port " + port
                            + " right after a ClientHello with SNI " + String.join(", ", seen.serverNamesSent())
                            + ": a refused SNI, or not a TLS port",
                    "Serverless refuses a handshake whose SNI is not the deployment's domain: set MQTT_HOST to the"
                            + " address from the console exactly (not an IP address, not a CNAME of your own), which"
                            + " the client sends as SNI. If it is, check that the port is a TLS port: 8883 (MQTT over"
                            + " TLS) or 8084 (WSS); 1883 and 8083 are not offered.", exact);
        }
        Optional<String> dates = Certificates.dateProblem(seen.chain(), Instant.now());
        if (dates.isPresent()) {
            return StepResult.fail(Step.TLS, "the server's certificate has expired or is not yet valid: " + dates.get(),
                    "Check this machine's clock. If it is right, the server on " + settings.host() + ":" + port
                            + " is not the deployment you meant.", exact);
        }
        List<String> names = Certificates.names(seen.chain().get(0));
        if (seen.nameProblem().isPresent()) {
            String what = "the server's certificate does not match " + settings.host() + " (it names "
                    + String.join(", ", names) + ")";
            String trustNote = seen.pathProblem().isPresent() ? "; nor is it trusted by " + trustOf(settings) : "";
            return StepResult.fail(Step.TLS, what + trustNote,
                    "Use the deployment's address exactly as the console shows it as MQTT_HOST: not an IP address,"
                            + " not a CNAME of your own domain (Serverless' certificate names only its own domain)."
                            + ipNote, exact);
        }
        if (seen.pathProblem().isPresent()) {
            X509Certificate top = seen.chain().get(seen.chain().size() - 1);
            return StepResult.fail(Step.TLS, "the server's certificate is not trusted by " + trustOf(settings)
                            + " (the chain ends at " + top.getIssuerX500Principal().getName() + ")",
                    "Set MQTT_CA_FILE to the deployment's emqxsl-ca.crt from the console, or unset it to use the"
                            + " JDK's default trust store, which already trusts Serverless' DigiCert root.", exact);
        }
        return StepResult.fail(Step.TLS, "the TLS handshake on port " + port + " failed after the server's certificate: "
                        + rootMessage(error),
                "Include the exact error below in a support ticket.", exact);
    }

    /** The warning the address step gets once the certificate is known not to name MQTT_HOST. */
    static StepResult nameNotInCertificate(Settings settings, TlsObservation seen) {
        return StepResult.warn(Step.ADDRESS, settings.host() + " is not a name in the server's certificate (it names "
                        + String.join(", ", Certificates.names(seen.chain().get(0))) + "), seen by the tls step",
                "A CNAME of your own domain pointing at the deployment is not supported: connect by the"
                        + " deployment's own domain from the console.");
    }

    private static String trustOf(Settings settings) {
        return settings.trustDescription();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String joined(List<Integer> ports) {
        return String.join(" and ", ports.stream().map(String::valueOf).toList());
    }
}
