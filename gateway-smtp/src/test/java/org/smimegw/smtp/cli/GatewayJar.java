package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.smimegw.smtp.config.Installation;

/**
 * The packaged {@code smime-gateway.jar} run in its own JVM, as an operator would, with the test's directory as the
 * installation (as the launcher names it): {@code config/gateway.properties} there is the default configuration.
 */
final class GatewayJar {
    static final long TIMEOUT_SECONDS = 120;

    private final Path dir;

    GatewayJar(Path dir) {
        this.dir = dir;
    }

    /** A finished command: its exit code and output. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A started gateway process and the files its output goes to. */
    record Started(Process process, List<String> command, Path out, Path err) {
    }

    /** Starts the jar; {@code javaOptions} come before {@code -jar}, as {@code JAVA_OPTS} would. */
    Started start(Map<String, String> environment, List<String> javaOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-D" + Installation.HOME_PROPERTY + "=" + dir);
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", System.getProperty("gateway.jar")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "gateway", ".out");
        Path err = Files.createTempFile(dir, "gateway", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        return new Started(builder.start(), command, out, err);
    }

    /** Waits (bounded) for the process to end; fails when a stack trace reached the user. */
    Run finish(Started started) throws Exception {
        Process process = started.process();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the gateway did not finish within " + TIMEOUT_SECONDS + " s: "
                    + started.command());
        }
        Run run = new Run(process.exitValue(), Files.readString(started.out(), StandardCharsets.UTF_8),
                Files.readString(started.err(), StandardCharsets.UTF_8));
        assertFalse(run.out().contains("\tat ") || run.err().contains("\tat "), "a stack trace reached the user:\n" + run);
        return run;
    }

    Run run(Map<String, String> environment, String... args) throws Exception {
        return finish(start(environment, List.of(), args));
    }

    Run succeeds(Map<String, String> environment, String... args) throws Exception {
        Run run = run(environment, args);
        assertEquals(0, run.exit(), run.toString());
        return run;
    }

    /** Imports Alice (RFC 9216) as the organisation, with her key, and Bob's certificates and CA as contacts. */
    void importAliceAsTheOrganisationAndBobAsAContact() throws Exception {
        succeeds(Map.of(), "cert", "import", rfc9216("ca.rsa.crt"), rfc9216("bob.sign.crt"),
                rfc9216("bob.encrypt.crt"));
        Run key = succeeds(Map.of("P12_PASSWORD", "alice"), "key", "import", rfc9216("alice.p12"),
                "--password-env", "P12_PASSWORD");
        assertEquals(2, key.out().lines().filter(line -> line.endsWith(" key")).count(), key.toString());
    }

    static String rfc9216(String name) {
        return org.smimegw.core.testing.TestData.file("rfc9216/" + name).toString();
    }

    /** A free loopback port; the small race with other processes is acceptable in a test. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits (bounded) until the file contains the text; fails with the file's content. */
    static void awaitText(Path file, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("no '" + text + "' (alive=" + process.isAlive() + "):\n"
                        + Files.readString(file, StandardCharsets.UTF_8));
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }
}
