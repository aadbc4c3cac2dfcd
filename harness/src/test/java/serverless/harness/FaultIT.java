package serverless.harness;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example, given each fault a Serverless user meets, ends quickly and non-zero with one line that
 * says what is wrong and what to check: never a hang, never a stack trace, never the password.
 */
@ExtendWith(TestBedExtension.class)
@Timeout(60)
class FaultIT {

    /** The promise to users: a wrong setting is reported within 15 seconds. */
    private static final Duration BOUND = Duration.ofSeconds(15);

    static Stream<Arguments> cases() {
        return Arrays.stream(Example.values()).flatMap(example -> Arrays.stream(Fault.values())
                .filter(fault -> fault.appliesTo(example))
                .map(fault -> Arguments.of(example, fault)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void faultEndsInOneActionableLine(Example example, Fault fault, TestBed bed) {
        Broker broker = bed.broker();
        fault.needs().ifPresent(capability -> assumeTrue(broker.can(capability),
                () -> fault + " is not injected: the broker in use (" + broker.description() + ") lacks " + capability));
        ExampleRun run = ExampleRun.of(example, broker, fault.name().toLowerCase(Locale.ROOT) + "-" + example.name().toLowerCase(Locale.ROOT));
        fault.injectInto(run, bed);

        RunResult result = run.execute();

        assertAll(result.transcript(),
                () -> assertFalse(result.timedOut(), "the example hung"),
                () -> assertTrue(result.duration().compareTo(BOUND) < 0, "took longer than " + BOUND),
                () -> assertEquals(fault.exitCode(), result.exitCode(), "exit code"),
                () -> assertEquals(1, result.stderrLines().size(), "exactly one line on standard error"),
                () -> assertTrue(result.stderr().startsWith("ERROR: "), "the line starts with ERROR:"),
                () -> assertTrue(result.stderr().toLowerCase(Locale.ROOT).contains(fault.phrase().toLowerCase(Locale.ROOT)),
                        "the line says: " + fault.phrase()),
                () -> assertFalse(result.stdout().contains("Received"), "no message may arrive"),
                () -> assertFalse(result.stdout().contains(broker.password()) || result.stderr().contains(broker.password()),
                        "the password must never be printed"));
    }
}
