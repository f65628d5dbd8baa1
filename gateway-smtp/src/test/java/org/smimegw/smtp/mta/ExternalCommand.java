package org.smimegw.smtp.mta;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program from a Debian package with a bounded wait. Output goes to a file, not a pipe: {@code postfix
 * start} leaves a daemon behind, and a daemon that inherited a pipe would keep a reader waiting for ever.
 */
final class ExternalCommand {
    /** Where Debian puts administrator programs; a Maven run's {@code PATH} may lack them. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private ExternalCommand() {
    }

    /** What one run printed (stdout and stderr, interleaved) and returned. */
    record Result(List<String> command, int exitCode, String output) {
        Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError(this.toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " exited with " + exitCode + "\n" + output;
        }
    }

    /**
     * The absolute path of {@code program} on {@code PATH} or in the sbin directories. A missing program fails the
     * test with the package that brings it: CI installs these packages, so a missing one is a broken machine, not
     * a reason to skip.
     */
    static Path locate(String program, String debianPackage) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("'" + program + "' is not installed (searched PATH and " + SBIN
                + "): install the Debian package with 'apt-get install -y " + debianPackage
                + "'; .ci/run does so when it is missing");
    }

    static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("external-command", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "; it was killed. Output so far:\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(List.copyOf(command), process.exitValue(),
                    new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
