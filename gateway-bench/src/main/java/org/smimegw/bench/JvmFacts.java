package org.smimegw.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** What the report says about the process it ran in. */
final class JvmFacts {
    private JvmFacts() {
    }

    /** Peak resident set size of this process (VmHWM) in MiB, or -1 where /proc is not there. */
    static long peakRssMiB() {
        return procStatusKiB("VmHWM:") / 1024;
    }

    static long procStatusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the report says unknown
        }
        return -1024;
    }

    /** The machine's load averages over 1, 5 and 15 minutes, to show whether something else was running. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The JVM's command-line options (-Xmx and the like), or "none". */
    static String options() {
        List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return options.isEmpty() ? "none" : String.join(" ", options);
    }

    static String maxHeap() {
        return Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
    }

    static String firstProviders(int count) {
        return Arrays.stream(Security.getProviders()).limit(count).map(Provider::getName)
                .collect(Collectors.joining(", "));
    }

    static String java() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }
}
