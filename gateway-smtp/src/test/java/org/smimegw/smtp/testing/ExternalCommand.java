package org.smimegw.smtp.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finds and runs programs from Debian packages with a bounded wait. Output goes to a file, not a pipe: {@code postfix
 * start} leaves a daemon behind, and a daemon that inherited a pipe would keep a reader waiting for ever.
 */
public final class ExternalCommand {
    /** Where Debian puts administrator programs; a Maven run's {@code PATH} may lack them. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");
    /** How long a command killed after its timeout may take to exit. */
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private ExternalCommand() {
    }

    /** What one run printed (stdout and stderr, interleaved) and returned. */
    public record Result(List<String> command, int exitCode, String output) {
        public Result assertSuccess() {
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
    public static Path locate(String program, String debianPackage) {
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
            if (isExecutable(candidate)) {
                return candidate;
            }
        }
        throw notInstalled("'" + program + "' (searched PATH and " + SBIN + ")", debianPackage);
    }

    /**
     * {@code program} at exactly this path, for a program that must be the package's own (a server that reads the
     * package's schemas and modules); fails as {@link #locate(String, String)} does when it is missing.
     */
    public static Path locate(Path program, String debianPackage) {
        if (!isExecutable(program)) {
            throw notInstalled(program.toString(), debianPackage);
        }
        return program;
    }

    private static boolean isExecutable(Path program) {
        return Files.isRegularFile(program) && Files.isExecutable(program);
    }

    private static AssertionError notInstalled(String program, String debianPackage) {
        return new AssertionError(program + " is not installed: install the Debian package with 'apt-get install -y "
                + debianPackage + "'; ./test (which .ci/run runs) does so when it is missing");
    }

    /**
     * Runs a program that ends by itself, with stdin from {@code /dev/null}; kills it (and what it started) and fails
     * with its output so far if it has not finished within {@code timeout}.
     */
    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        return run(timeout, Map.of(), command);
    }

    /** {@link #run(Duration, List)} with {@code environment} added to the test JVM's. */
    public static Result run(Duration timeout, Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("external-command", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "; it was killed. Output so far:\n" + read(output));
            }
            return new Result(List.copyOf(command), process.exitValue(), read(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String read(Path output) throws IOException {
        return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
    }
}
