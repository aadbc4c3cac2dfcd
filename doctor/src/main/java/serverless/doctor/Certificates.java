package serverless.doctor;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/** Certificates in words, for display only: every trust and host name decision is the JDK's. */
final class Certificates {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private Certificates() {
    }

    /** One line per certificate: {@code [0] subject | issuer | valid until}. */
    static List<String> describe(List<X509Certificate> chain) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            lines.add("[" + i + "] " + certificate.getSubjectX500Principal().getName()
                    + " | issuer " + certificate.getIssuerX500Principal().getName()
                    + " | valid until " + date(certificate.getNotAfter().toInstant())
                    + (i == 0 ? " | names " + String.join(", ", names(certificate)) : ""));
        }
        return lines;
    }

    /** The DNS and IP names the certificate lists (subject alternative names), to show which host it is for. */
    static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    int type = (Integer) entry.get(0);
                    if (type == SAN_DNS || type == SAN_IP) {
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException unreadable) {
            // shown as no names
        }
        return names.isEmpty() ? List.of("(none)") : names;
    }

    /** The first certificate of the chain that is expired or not yet valid now, in words. */
    static Optional<String> dateProblem(List<X509Certificate> chain, Instant now) {
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity(Date.from(now));
            } catch (CertificateExpiredException e) {
                return Optional.of(certificate.getSubjectX500Principal().getName() + " expired on "
                        + date(certificate.getNotAfter().toInstant()));
            } catch (CertificateNotYetValidException e) {
                return Optional.of(certificate.getSubjectX500Principal().getName() + " is not valid before "
                        + date(certificate.getNotBefore().toInstant()));
            }
        }
        return Optional.empty();
    }

    /** "valid until 2026-01-31 (in 67 days)" for the server's own certificate. */
    static String validity(X509Certificate leaf, Instant now) {
        Instant notAfter = leaf.getNotAfter().toInstant();
        long days = Duration.between(now, notAfter).toDays();
        return "valid until " + notAfter.atZone(ZoneOffset.UTC).toLocalDate() + " ("
                + (days < 1 ? "less than a day" : days + " days") + ")";
    }

    static String date(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
