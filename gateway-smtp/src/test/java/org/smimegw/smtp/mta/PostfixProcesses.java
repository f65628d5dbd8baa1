package org.smimegw.smtp.mta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which Postfix processes are still running, read from {@code /proc}. The master is a session and process group
 * leader, and every daemon it starts stays in its group.
 */
final class PostfixProcesses {
    private PostfixProcesses() {
    }

    /**
     * The processes still alive in the process group of {@code masterPid} (zombies count as gone: they have exited
     * and only wait for init to reap them).
     */
    static List<ProcessHandle> inGroupOf(long masterPid) {
        return ProcessHandle.allProcesses().filter(p -> {
            String[] fields = procStatFields(p.pid());
            return fields != null && isRunning(fields) && Long.parseLong(fields[2]) == masterPid;
        }).collect(Collectors.toList());
    }

    /**
     * Whether the process exists and has not exited. Unlike {@link ProcessHandle#isAlive()} this says false for
     * a zombie: an exited Postfix daemon whose parent is gone waits for init to reap it, and this machine's
     * init may take its time.
     */
    static boolean isRunning(long pid) {
        String[] fields = procStatFields(pid);
        return fields != null && isRunning(fields);
    }

    /** One line per process: its id and command line. */
    static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .collect(Collectors.joining("\n"));
    }

    private static boolean isRunning(String[] statFields) {
        return !statFields[0].equals("Z") && !statFields[0].equals("X");
    }

    /** The fields of {@code /proc/PID/stat} after the command name: state, ppid, pgrp, ...; null if gone. */
    private static String[] procStatFields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null; // exited meanwhile
        }
        // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }
}
