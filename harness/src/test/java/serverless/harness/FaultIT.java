package serverless.harness;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example, given each fault a Serverless user meets, ends quickly and non-zero with one line that
 * says what is wrong and what to check: never a hang, never a stack trace, never the password.
 */
@CompleteTier
@ExtendWith(TestBedExtension.class)
@ResourceLock(value = TestBed.LOCAL_BROKER, mode = ResourceAccessMode.READ)
@Timeout(60)
class FaultIT {

    static Stream<Arguments> cases() {
        return Arrays.stream(Example.values()).flatMap(example -> Arrays.stream(Fault.values())
                .filter(fault -> fault.appliesTo(example))
                .map(fault -> Arguments.of(example, fault)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void faultEndsInOneActionableLine(Example example, Fault fault, TestBed bed) {
        FaultCase.check(example, fault, bed.broker(), bed, "");
    }
}
