package serverless.doctor;

import java.util.Optional;

/**
 * The last guard before anything is printed. The doctor never prints the password itself (the report and
 * the ticket only say whether one is set); every line still passes through here, so that an error message
 * that quoted it (no library is known to) would show {@value #MASK} instead.
 *
 * <p>A password shorter than {@value #MIN_LENGTH} characters is not searched for: masking every "p" of the
 * report would make it unreadable and protect nothing.
 */
final class Redactor {

    static final String MASK = "<password>";
    static final int MIN_LENGTH = 4;

    private final Optional<String> secret;

    Redactor(Optional<String> secret) {
        this.secret = secret.filter(value -> value.length() >= MIN_LENGTH);
    }

    String redact(String text) {
        if (text == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret.get(), MASK);
    }
}
