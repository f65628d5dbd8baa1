package org.smimegw.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far, from Linux's {@code /proc}: by this JVM (gateway nodes, load generator and sink), by the
 * PostgreSQL server's processes (every process named {@code postgres}, whoever runs it), and by the whole machine.
 * Two samples give the cores each kept busy in between. Where {@code /proc} is missing the values are NaN.
 */
record CpuSample(long nanos, double jvmSeconds, double postgresSeconds, double machineBusySeconds) {
    /** Kernel clock ticks per second (USER_HZ), which is 100 on every Linux the JDK runs on. */
    private static final double TICKS = 100;

    static CpuSample now() {
        return new CpuSample(System.nanoTime(), readJvmSeconds(), readPostgresSeconds(), readMachineBusySeconds());
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
