package serverless.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How busy the machine was, as benchmark tools report it, so that a user knows when a run is worth repeating: the
 * load average ({@code /proc/loadavg}) before the run and while it ran, and, around every stack's measurement, how
 * much of the CPU went to work that is not the bench's (the machine's busy time in {@code /proc/stat} less this
 * process' and its finished children's in {@code /proc/self/stat}: other processes, and time the hypervisor gave
 * other machines). Linux only; elsewhere every figure is "not measured".
 */
final class MachineLoad {

    /** Other work above this share of the machine, in cores, during a measurement: that round is disturbed. */
    static final double DISTURBING_CORES = 0.25;
    /** A one-minute load average above this as the run starts: the machine was not idle. */
    static final double IDLE_LOAD = 0.5;

    private final int cores;
    private final OptionalDouble before;
    private final List<Double> during = new ArrayList<>();

    private MachineLoad(int cores, OptionalDouble before) {
        this.cores = cores;
        this.before = before;
    }

    /** The load as the run starts. */
    static MachineLoad atStart() {
        return new MachineLoad(Runtime.getRuntime().availableProcessors(), loadAverage());
    }

    /** A report made again from logs: nothing of the machine's load is known. */
    static MachineLoad notMeasured() {
        return new MachineLoad(Runtime.getRuntime().availableProcessors(), OptionalDouble.empty());
    }

    /**
     * The CPU counters now (from the bench's main thread only), taken between two stack processes (none running: every finished child's time is then
     * in this process' own counters); the load average is sampled at the same moment.
     */
    Optional<CpuTicks> sample() {
        loadAverage().ifPresent(during::add);
        try {
            return Optional.of(CpuTicks.parse(Files.readAllLines(Path.of("/proc/stat")).get(0),
                    Files.readString(Path.of("/proc/self/stat"))));
        } catch (Exception notLinux) {
            return Optional.empty();
        }
    }

    /** Other work's share of the machine between two samples, in cores; negative when it was not measured. */
    double othersCores(Optional<CpuTicks> start, Optional<CpuTicks> end) {
        return start.isPresent() && end.isPresent() ? end.get().othersCoresSince(start.get(), cores) : -1;
    }

    int cores() {
        return cores;
    }

    OptionalDouble before() {
        return before;
    }

    OptionalDouble duringMin() {
        return during.stream().mapToDouble(Double::doubleValue).min();
    }

    OptionalDouble duringMax() {
        return during.stream().mapToDouble(Double::doubleValue).max();
    }

    /** One line for the report. */
    String describe() {
        if (before.isEmpty() && duringMax().isEmpty()) {
            return "Load: not measured (no /proc/loadavg here, or a report made again from logs)";
        }
        String start = before.isPresent() ? format(before.getAsDouble()) + " before the run" : "not measured before";
        String meanwhile = duringMax().isPresent() ? ", " + format(duringMin().getAsDouble()) + " to "
                + format(duringMax().getAsDouble()) + " while it ran" : "";
        return "Load average (1 min): " + start + meanwhile + ", on " + cores + " cores (the bench's broker and the"
                + " stack being measured make up to about 2 of it)";
    }

    /** The warnings on the machine's load: not idle as it started, and every disturbed measurement. */
    List<String> warnings(List<StackFigures> stacks) {
        List<String> warnings = new ArrayList<>();
        if (before.isPresent() && before.getAsDouble() > IDLE_LOAD) {
            warnings.add("the machine was not idle as the run started (load average " + format(before.getAsDouble())
                    + " over the last minute): something ran just before or still runs (the tail of a build counts:"
                    + " the average takes a minute to fall). For figures to compare, run again once it is below "
                    + IDLE_LOAD);
        }
        List<String> disturbed = new ArrayList<>();
        for (StackFigures figures : stacks) {
            OptionalDouble most = figures.mostOthersCores();
            if (most.isPresent() && most.getAsDouble() > DISTURBING_CORES) {
                disturbed.add(figures.name() + " (" + figures.disturbedRounds(DISTURBING_CORES) + ", up to "
                        + format(most.getAsDouble()) + ")");
            }
        }
        if (!disturbed.isEmpty()) {
            warnings.add("other work took more than " + DISTURBING_CORES + " of a core while " + disturbed.size()
                    + " of the measurements ran: " + String.join(", ", disturbed) + ". Their figures are not the"
                    + " stacks' own. Run again on an idle machine, or make the report again without those rounds"
                    + " (FromLogs)");
        }
        return warnings;
    }

    private static OptionalDouble loadAverage() {
        try {
            return OptionalDouble.of(parseLoadAverage(Files.readString(Path.of("/proc/loadavg"))));
        } catch (Exception notLinux) {
            return OptionalDouble.empty();
        }
    }

    /** The one-minute average, the first field of {@code /proc/loadavg} ("0.42 0.30 0.25 1/123 4567"). */
    static double parseLoadAverage(String procLoadavg) {
        return Double.parseDouble(procLoadavg.trim().split("\\s+")[0]);
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /**
     * The machine's CPU time (every core) and this process tree's, in clock ticks.
     *
     * @param machineBusy  every core's time not idle (user, nice, system, irq, softirq, steal)
     * @param machineTotal the same and the idle time (idle, iowait)
     * @param ownTree      this process' user and system time and that of its children that have ended
     */
    record CpuTicks(long machineBusy, long machineTotal, long ownTree) {

        /** From the first line of {@code /proc/stat} and from {@code /proc/self/stat}. */
        static CpuTicks parse(String procStatCpuLine, String procSelfStat) {
            String[] cpu = procStatCpuLine.trim().split("\\s+");
            if (!cpu[0].equals("cpu")) {
                throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpu[0]);
            }
            long user = Long.parseLong(cpu[1]);
            long nice = Long.parseLong(cpu[2]);
            long system = Long.parseLong(cpu[3]);
            long idle = Long.parseLong(cpu[4]);
            long iowait = Long.parseLong(cpu[5]);
            long irq = Long.parseLong(cpu[6]);
            long softirq = Long.parseLong(cpu[7]);
            // Steal: the hypervisor ran another machine on this one's core, which disturbs a run as much as a
            // process does. (guest time is already part of user time.)
            long steal = cpu.length > 8 ? Long.parseLong(cpu[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            // After the command name, which may hold spaces and parentheses: field 3 (state) onwards.
            String[] self = procSelfStat.substring(procSelfStat.lastIndexOf(')') + 2).split(" ");
            // utime, stime, cutime, cstime: fields 14 to 17 of proc(5), so 11 to 14 from field 3.
            long own = Long.parseLong(self[11]) + Long.parseLong(self[12]) + Long.parseLong(self[13])
                    + Long.parseLong(self[14]);
            return new CpuTicks(busy, busy + idle + iowait, own);
        }

        /** Cores' worth of time that went to other work between {@code earlier} and this sample. */
        double othersCoresSince(CpuTicks earlier, int cores) {
            long total = machineTotal - earlier.machineTotal;
            if (total <= 0) {
                return -1;
            }
            long others = (machineBusy - earlier.machineBusy) - (ownTree - earlier.ownTree);
            return Math.max(0, others) * (double) cores / total;
        }
    }
}
