package org.smimegw.smtp.mta;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.smimegw.smtp.testing.Await;
import org.smimegw.smtp.testing.ExternalCommand;
import org.smimegw.smtp.testing.HarnessStop;
import org.smimegw.smtp.testing.LoopbackPorts;

/**
 * A private Postfix instance for tests: the Debian package's programs with a configuration, queue, data
 * directory and log of its own under {@code dir} ({@link PostfixConfig}), listening only on {@code 127.0.0.1} at a
 * free port. The system's Postfix ({@code /etc/postfix}, {@code /var/spool/postfix}) is neither used nor touched.
 * This class starts and stops the processes; {@link PostfixQueue} looks into the queue, {@link PostfixProcesses}
 * into the process table, {@link Maillog} into the log.
 *
 * <p>It is started with {@code postfix -c DIR/etc start}, the ordinary start command pointed at another
 * configuration directory. Run as root (as the tests and CI are), {@code postfix -c DIR} and
 * {@code postqueue -c DIR} take a directory that the default {@code main.cf}'s
 * {@code alternate_config_directories} does not list (Debian's "No configuration" has no default
 * {@code main.cf} at all); that list guards the set-gid programs when other users run them. No
 * {@code postmulti} is needed, which would have to turn on multi-instance mode in {@code /etc/postfix}.
 * {@code postfix start} first runs the integrity check, which creates the queue and data directories with the
 * owners and modes Postfix wants, then starts {@code master -w}, which returns once the daemon has bound its
 * listeners; the greeting on the port is awaited all the same. {@link #close()} runs
 * {@code postfix -c DIR/etc stop} and then waits until no process of the master's process group is left.
 */
public final class PostfixInstance implements AutoCloseable {
    public static final String HOST = LoopbackPorts.HOST;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;
    private static final int SOCKET_TIMEOUT_MILLIS = 5_000;

    private final Path postfix;
    private final Path configDirectory;
    private final Maillog maillog;
    private final PostfixQueue queue;
    private final int port;
    private final long masterPid;
    private final HarnessStop stop;

    private PostfixInstance(Path postfix, Path postqueue, PostfixConfig config, Maillog maillog, int port,
            long masterPid) {
        this.postfix = postfix;
        this.configDirectory = config.configDirectory();
        this.maillog = maillog;
        this.queue = new PostfixQueue(postqueue, configDirectory, maillog);
        this.port = port;
        this.masterPid = masterPid;
        this.stop = new HarnessStop("postfix-instance-stop", this::stopQuietly);
    }

    /** A private instance whose files all live under {@code dir} (a JUnit {@code @TempDir}). */
    public static PostfixConfig builder(Path dir) {
        return new PostfixConfig(dir);
    }

    /** The installed Postfix version, from {@code postconf -d mail_version}. */
    public static String version() throws IOException, InterruptedException {
        return PostfixConfig.version();
    }

    /**
     * Whether the installed Postfix knows the parameter (for example {@code smtpd_forbid_bare_newline}, the
     * SMTP smuggling defence of 3.5.23, 3.6.13, 3.7.9 and 3.8.4).
     */
    public static boolean supportsParameter(String name) throws IOException, InterruptedException {
        return PostfixConfig.supportsParameter(name);
    }

    /**
     * Writes the configuration and starts Postfix on a free loopback port (another one when a different process
     * took the port first), then waits for its greeting.
     */
    static PostfixInstance start(PostfixConfig config) throws IOException, InterruptedException {
        Path postfix = ExternalCommand.locate("postfix", "postfix");
        Path postqueue = ExternalCommand.locate("postqueue", "postfix");
        config.prepare();
        Maillog maillog = new Maillog(config.maillogFile());
        ExternalCommand.Result start = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = LoopbackPorts.freeTcp();
            config.write(port);
            start = ExternalCommand.run(COMMAND_TIMEOUT,
                    List.of(postfix.toString(), "-c", config.configDirectory().toString(), "start"));
            if (start.exitCode() == 0) {
                long masterPid = Long.parseLong(Files.readString(
                        config.queueDirectory().resolve("pid/master.pid"), StandardCharsets.US_ASCII).trim());
                return HarnessStop.closeOnFailure(
                        new PostfixInstance(postfix, postqueue, config, maillog, port, masterPid),
                        PostfixInstance::awaitBanner);
            }
            // another process took the port between our probe and Postfix's bind: try another one
            if (!maillog.mentions("Address already in use")) {
                break;
            }
        }
        throw new AssertionError("could not start a private Postfix in " + config.configDirectory() + ": " + start
                + "\n--- maillog\n" + maillog.text());
    }

    /** The loopback port its smtpd listens on. */
    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    /** The master daemon's process id, which is also the process group of every Postfix process it runs. */
    public long masterPid() {
        return masterPid;
    }

    /** What this instance logged so far ({@code maillog_file}), for assertion messages. */
    public String maillog() {
        return maillog.text();
    }

    /** See {@link Maillog#await}. */
    public void awaitMaillog(String fragment, Duration bound) throws InterruptedException {
        maillog.await(fragment, bound);
    }

    /** See {@link PostfixQueue#flush}. */
    public void flushQueue() throws IOException, InterruptedException {
        queue.flush();
    }

    /** See {@link PostfixQueue#listing}. */
    public String queueListing() throws IOException, InterruptedException {
        return queue.listing();
    }

    public boolean isQueueEmpty() throws IOException, InterruptedException {
        return queue.isEmpty();
    }

    /** See {@link PostfixQueue#awaitEmpty}. */
    public void awaitEmptyQueue(Duration bound) throws IOException, InterruptedException {
        queue.awaitEmpty(bound);
    }

    /** The processes still alive in the master's process group; after {@link #close()} this is empty. */
    public List<ProcessHandle> liveProcesses() {
        return PostfixProcesses.inGroupOf(masterPid);
    }

    /** See {@link PostfixProcesses#isRunning}. */
    public static boolean isRunning(long pid) {
        return PostfixProcesses.isRunning(pid);
    }

    /**
     * Stops the instance with {@code postfix -c DIR stop} (SIGTERM to the master, which passes it on to its
     * process group; the script itself waits up to five seconds, then kills the group) and waits until no
     * process of the group is alive. Fails if the stop failed or processes stayed behind (after killing them).
     * Call it before the directory is deleted: {@code postfix stop} needs the configuration.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (!stop.claim()) {
            return;
        }
        ExternalCommand.Result stop = ExternalCommand.run(COMMAND_TIMEOUT,
                List.of(postfix.toString(), "-c", configDirectory.toString(), "stop"));
        if (stop.exitCode() != 0) {
            terminateMaster();
        }
        if (!Await.until(EXIT_TIMEOUT, () -> liveProcesses().isEmpty())) {
            List<ProcessHandle> left = liveProcesses();
            left.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError("Postfix processes were still running " + EXIT_TIMEOUT + " after '"
                    + String.join(" ", stop.command()) + "' and were killed:\n" + PostfixProcesses.describe(left)
                    + "\n" + stop + "\n--- maillog\n" + maillog());
        }
        if (stop.exitCode() != 0) {
            throw new AssertionError("stopping Postfix failed: " + stop + "\n--- maillog\n" + maillog());
        }
    }

    /** What {@code postfix stop} does, without the configuration (which may be gone): SIGTERM to the master. */
    private void terminateMaster() {
        liveProcesses().stream().filter(p -> p.pid() == masterPid).forEach(ProcessHandle::destroy);
    }

    /** The shutdown hook of an instance that was never closed: the JVM is exiting, so no exceptions. */
    private void stopQuietly() {
        try {
            terminateMaster();
            if (!Await.until(Duration.ofSeconds(10), () -> liveProcesses().isEmpty())) {
                liveProcesses().forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            liveProcesses().forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Reads the {@code 220} greeting, retrying the connection until {@link #READY_TIMEOUT}. */
    private void awaitBanner() throws InterruptedException {
        List<String> failures = new ArrayList<>();
        boolean ready = Await.until(READY_TIMEOUT, () -> {
            try {
                greet();
                return true;
            } catch (IOException e) {
                failures.add(e.toString());
                return false;
            }
        });
        if (!ready) {
            throw new AssertionError("Postfix on " + HOST + ":" + port + " sent no 220 greeting within "
                    + READY_TIMEOUT + "; last error: " + (failures.isEmpty() ? "-" : failures.get(failures.size() - 1))
                    + "\n--- maillog\n" + maillog());
        }
    }

    private void greet() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), SOCKET_TIMEOUT_MILLIS);
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("connection closed before the greeting");
                }
                if (!line.startsWith("220")) {
                    throw new IOException("greeting was not 220: " + line);
                }
            } while (line.startsWith("220-"));
            OutputStream out = socket.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.readLine();
        }
    }

    /** A port that was free on loopback a moment ago. */
    public static int freeLoopbackPort() throws IOException {
        return LoopbackPorts.freeTcp();
    }

    @Override
    public String toString() {
        return "Postfix " + configDirectory + " on " + HOST + ":" + port;
    }
}
