package serverless.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test of the complete tier ({@code ./mvnw verify -Pcomplete}, what CI runs): a claim about failures,
 * quotas, restarts or brokers. Everything without it is the everyday tier ({@code ./mvnw verify}), which proves
 * that every example works: its round trip as its README types it, the doctor's healthy run, the browser page's
 * round trip. A new test goes to the tier its claim belongs to; CONTRIBUTING.md says which.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Tier.COMPLETE_TAG)
public @interface CompleteTier {
}
