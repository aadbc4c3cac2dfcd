package serverless.harness;

import java.util.Locale;
import java.util.Optional;

/**
 * Which tier of integration tests this run is: harness/pom.xml hands it to the test JVM as {@code -Dtier}, with the
 * JUnit tag that leaves the complete tier's tests out of the everyday one.
 */
public enum Tier {
    /** {@code ./mvnw verify}: proves that every example works. */
    EVERYDAY,
    /** {@code ./mvnw verify -Pcomplete}: proves every claim about failures, quotas, restarts and brokers too. */
    COMPLETE;

    /** The JUnit tag of the complete tier's tests ({@link CompleteTier}). */
    public static final String COMPLETE_TAG = "complete";
    /** What to add to {@code ./mvnw verify} for the complete tier. */
    public static final String COMPLETE_FLAG = "-Pcomplete";

    /** The tier failsafe runs, or empty outside it (the unit tests, an IDE). */
    public static Optional<Tier> ofThisRun() {
        return Optional.ofNullable(System.getProperty("tier")).map(name -> valueOf(name.trim().toUpperCase(Locale.ROOT)));
    }

    /** Whether this run includes the complete tier's tests; an IDE, which runs what it is asked to, counts as complete. */
    public static boolean completeTierRuns() {
        return ofThisRun().orElse(COMPLETE) == COMPLETE;
    }
}
