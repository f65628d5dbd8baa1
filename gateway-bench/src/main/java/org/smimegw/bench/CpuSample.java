package org.smimegw.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * CPU time used so far, from Linux's {@code /proc}: by this JVM (gateway nodes, load generator and sink), by the
 * threads of the load generator and the sink alone (the harness), by the PostgreSQL server's processes (every process
 * named {@code postgres}, whoever runs it), and by the whole machine. Two samples give the cores each kept busy in
 * between, and the CPU time the gateway alone used: the JVM's less the harness threads' (garbage collection and the
 * JIT compiler are counted as the gateway's). Where {@code /proc} is missing the values are NaN.
 */
record CpuSample(long nanos, double jvmSeconds, double harnessSeconds, double postgresSeconds,
        double machineBusySeconds) {
    /** Kernel clock ticks per second (USER_HZ), which is 100 on every Linux the JDK runs on. */
    private static final double TICKS = 100;

    /** @param harness the threads of the load generator and the sink */
    static CpuSample now(Collection<Thread> harness) {
        return new CpuSample(System.nanoTime(), readJvmSeconds(), readThreadSeconds(harness), readPostgresSeconds(),
                readMachineBusySeconds());
    }

    /** CPU seconds the gateway used between {@code before} and this sample: the JVM's less the harness threads'. */
    double gatewaySecondsSince(CpuSample before) {
        return (jvmSeconds - before.jvmSeconds) - (harnessSeconds - before.harnessSeconds);
    }

    /** CPU seconds the whole JVM used between {@code before} and this sample. */
    double jvmSecondsSince(CpuSample before) {
        return jvmSeconds - before.jvmSeconds;
    }

    /** Cores kept busy between {@code before} and this sample. */
    Use since(CpuSample before) {
        double seconds = (nanos - before.nanos) / 1e9;
        return new Use((jvmSeconds - before.jvmSeconds) / seconds, (postgresSeconds - before.postgresSeconds) / seconds,
                (machineBusySeconds - before.machineBusySeconds) / seconds);
    }

    /** Cores busy on average: this JVM, PostgreSQL, and the whole machine (everything else included). */
    record Use(double jvm, double postgres, double machine) {
    }

    private static double readJvmSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }

    /**
     * The CPU time of those of the threads still alive. The load generator and the sink keep their threads for a whole
     * phase, so little of their time is lost to a thread ending between two samples (what is lost counts as the
     * gateway's).
     */
    private static double readThreadSeconds(Collection<Thread> harness) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            return Double.NaN;
        }
        long nanos = 0;
        for (Thread thread : harness) {
            nanos += Math.max(0, threads.getThreadCpuTime(thread.getId()));
        }
        return nanos / 1e9;
    }

    /** user + nice + system + irq + softirq + steal of the "cpu" line: everything but idle and iowait. */
    private static double readMachineBusySeconds() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy / TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** utime + stime of every live process whose name is postgres; a backend that ended takes its time along. */
    private static double readPostgresSeconds() {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                ticks += postgresTicks(process);
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return ticks / TICKS;
    }

    private static long postgresTicks(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (open < 0 || close < open || !stat.substring(open + 1, close).equals("postgres")) {
                return 0;
            }
            // after ") ": state is field 3, utime field 14, stime field 15
            String[] fields = stat.substring(close + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // the process ended meanwhile
        }
    }
}
