package org.smimegw.smtp.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A server a test harness runs as a child process of the test JVM: in the foreground, with a configuration file of
 * its own, stdout and stderr in a log file, on free loopback ports ({@link LoopbackPorts}). {@link Launcher#start}
 * starts it and polls until it is ready; {@link #stop()} ends it with SIGTERM and, after a bound, SIGKILL. The
 * harness registers the shutdown hook ({@link HarnessStop}).
 */
public final class ServerProcess {
    /** How long a server may take to exit after SIGTERM, and again after SIGKILL. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int[] ports;
    private final Path log;

    private ServerProcess(Process process, int[] ports, Path log) {
        this.process = process;
        this.ports = ports;
        this.log = log;
    }

    /** Chooses the ports a server is to listen on. */
    @FunctionalInterface
    public interface Ports {
        int[] choose() throws IOException;
    }

    /** Whether a server that logged its ready line answers on its ports; may fail with the reason it never will. */
    @FunctionalInterface
    public interface Probe {
        boolean answers(int[] ports) throws IOException, InterruptedException;
    }

    /** A server called {@code name} (in messages) that reads {@code config} and writes {@code log}. */
    public static Launcher launcher(String name, Path config, Path log) {
        return new Launcher(name, config, log);
    }

    /** How to start one server. */
    public static final class Launcher {
        private final String name;
        private final Path config;
        private final Path log;
        private Ports ports = () -> new int[] {LoopbackPorts.freeTcp()};
        private Function<int[], String> configuration;
        private Function<int[], List<String>> command;
        private String readyLine = "";
        private Probe probe = chosen -> true;

        private Launcher(String name, Path config, Path log) {
            this.name = name;
            this.config = config;
            this.log = log;
        }

        /** How to choose the ports (default: one free TCP port). */
        public Launcher ports(Ports value) {
            this.ports = value;
            return this;
        }

        /** The text of the configuration file for the chosen ports. */
        public Launcher configuration(Function<int[], String> value) {
            this.configuration = value;
            return this;
        }

        /** The command line that starts the server in the foreground on the chosen ports. */
        public Launcher command(Function<int[], List<String>> value) {
            this.command = value;
            return this;
        }

        /**
         * The server is ready once its log has {@code line} (which it writes after it bound its sockets) and then
         * {@code probe} holds. The line makes sure that it is this server that answers, not another process that
         * took a port, and that a probe is not sent before the bind.
         */
        public Launcher readyWhen(String line, Probe value) {
            this.readyLine = line;
            this.probe = value;
            return this;
        }

        /**
         * Writes the configuration for free ports, starts the server in the directory of its configuration and polls
         * until it is ready, at most {@code readyTimeout}; tries other ports when a different process took one
         * between their choice and the server's bind. Fails with the server's log and configuration.
         */
        public ServerProcess start(Duration readyTimeout) throws IOException, InterruptedException {
            Objects.requireNonNull(configuration, "configuration");
            Objects.requireNonNull(command, "command");
            Path dir = config.getParent();
            String failure = "";
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int[] chosen = ports.choose();
                Files.writeString(config, configuration.apply(chosen), StandardCharsets.UTF_8);
                List<String> line = command.apply(chosen);
                Files.deleteIfExists(log);
                Process process = new ProcessBuilder(line)
                        .directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                ServerProcess server = new ServerProcess(process, chosen, log);
                try {
                    if (server.awaitReady(readyLine, probe, readyTimeout)) {
                        return server;
                    }
                } catch (AssertionError | IOException | RuntimeException | InterruptedException e) {
                    server.stopQuietly();
                    throw e;
                }
                String state = process.isAlive() ? "was not ready within " + readyTimeout
                        : "exited with " + process.exitValue();
                server.stop();
                failure = String.join(" ", line) + " (ports " + Arrays.toString(chosen) + ") " + state + "\n--- "
                        + name + " log\n" + server.log();
                // another process took a port between our choice and the server's bind: try others
                if (!failure.toLowerCase(Locale.ROOT).contains("address already in use")) {
                    break;
                }
            }
            throw new AssertionError("could not start a private " + name + " in " + dir + ": " + failure + "\n--- "
                    + config.getFileName() + "\n" + read(config));
        }
    }

    /** Polls until the log has {@code readyLine} and {@code probe} holds; false if the process exits first. */
    private boolean awaitReady(String readyLine, Probe probe, Duration bound)
            throws IOException, InterruptedException {
        AtomicBoolean ready = new AtomicBoolean();
        Await.until(bound, () -> {
            ready.set(process.isAlive() && log().contains(readyLine) && probe.answers(ports));
            return ready.get() || !process.isAlive();
        });
        return ready.get();
    }

    /** The first port it listens on. */
    public int port() {
        return ports[0];
    }

    /** The port it listens on at {@code index} of the ports chosen for it. */
    public int port(int index) {
        return ports[index];
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** What it logged so far, for assertion messages. */
    public String log() {
        return read(log);
    }

    /** SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}; true if SIGTERM was enough. */
    public boolean stop() throws InterruptedException {
        process.destroy();
        if (process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return false;
    }

    /** {@link #stop()} where nothing may be thrown (a shutdown hook, a failed start): SIGKILL when interrupted. */
    public void stopQuietly() {
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }
}
