package serverless.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the bench reads of the machine's load from /proc, on samples written here. */
class MachineLoadTest {

    /** The command name may hold spaces and parentheses: the fields are counted from the last ')'. */
    private static final String SELF = "4242 (java (bench)) S 1 4242 4242 0 -1 4194560 100 0 0 0 %d %d %d %d 20 0 30 0";

    @Test
    void otherWorkIsTheMachinesBusyTimeLessThisProcessTreesInCores() {
        MachineLoad.CpuTicks start = MachineLoad.CpuTicks.parse(
                "cpu  1000 0 500 8000 100 0 10 0 0 0", String.format(SELF, 300, 100, 50, 10));
        // One second later on 2 cores at 100 ticks a second: 200 ticks in all, 150 busy (user 100, system 40,
        // steal 10), of which this process and its children took 100 (own 60 + 20, children 15 + 5).
        MachineLoad.CpuTicks end = MachineLoad.CpuTicks.parse(
                "cpu  1100 0 540 8050 100 0 10 10 0 0", String.format(SELF, 360, 120, 65, 15));

        assertEquals(0.5, end.othersCoresSince(start, 2), 1e-9);
    }

    @Test
    void theBusyTimeCountsStealAndTheTotalCountsIowait() {
        MachineLoad.CpuTicks ticks = MachineLoad.CpuTicks.parse("cpu  10 1 2 100 7 3 4 5 0 0",
                String.format(SELF, 1, 2, 3, 4));

        assertEquals(10 + 1 + 2 + 3 + 4 + 5, ticks.machineBusy());
        assertEquals(25 + 100 + 7, ticks.machineTotal());
        assertEquals(10, ticks.ownTree());
    }

    @Test
    void theOneMinuteLoadAverageIsTheFirstField() {
        assertEquals(1.52, MachineLoad.parseLoadAverage("1.52 0.80 0.33 2/301 12345\n"));
    }

    @Test
    void aDisturbedRoundIsNamedWithHowMuchOtherWorkTook() throws Exception {
        StackFigures paho = new StackFigures(Stack.PAHO_V3, Transport.WSS);
        var round = new ObjectMapper().readTree("{\"qos0PerSecond\":1,\"qos1PerSecond\":1,\"cpuSeconds\":1,"
                + "\"peakRssBytes\":1,\"peakHeapBytes\":1,\"connectMicrosValues\":[1],\"latencyMicrosValues\":[1]}");
        paho.add(round, 1, 0.62);
        paho.add(round, 2, 0.01);
        paho.add(round, 3, 0.30);

        List<String> warnings = MachineLoad.notMeasured().warnings(List.of(paho));

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("other work took more than 0.25 of a core while 1 of the measurements"
                + " ran: paho-v3 WSS (rounds 1 and 3, up to 0.62)"), warnings.get(0));
    }

    @Test
    void onLinuxTheLoadAndTheCountersAreReadFromProc() {
        MachineLoad load = MachineLoad.atStart();
        Optional<MachineLoad.CpuTicks> start = load.sample();
        Optional<MachineLoad.CpuTicks> end = load.sample();

        if (System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(load.before().isPresent() && start.isPresent() && end.isPresent(), "read from /proc");
            assertTrue(end.get().ownTree() >= start.get().ownTree() && end.get().machineTotal() >= start.get().machineTotal());
            assertTrue(load.describe().startsWith("Load average (1 min): "), load.describe());
        } else {
            assertEquals(-1, load.othersCores(start, end), "not measured elsewhere");
            assertTrue(load.describe().startsWith("Load: not measured"), load.describe());
        }
    }
}
