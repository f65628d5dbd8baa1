package org.smimegw.smtp.mta;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A private Postfix instance for tests: the Debian package's programs with a configuration, queue, data
 * directory and log of its own under {@code dir}, listening only on {@code 127.0.0.1} at a free port. The
 * system's Postfix ({@code /etc/postfix}, {@code /var/spool/postfix}) is neither used nor touched.
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
 *
 * <p>Postfix programs write their errors to stderr only when it is a terminal; otherwise everything goes to
 * {@code maillog_file}, so failures here quote {@link #maillog()}.
 */
public final class PostfixInstance implements AutoCloseable {
    public static final String HOST = "127.0.0.1";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;
    private static final int SOCKET_TIMEOUT_MILLIS = 5_000;

    private static volatile String defaultParameters;

    private final Path postfix;
    private final Path postqueue;
    private final Path configDirectory;
    private final Path queueDirectory;
    private final Path maillog;
    private final int port;
    private final long masterPid;
    private final Thread shutdownHook;
    private boolean closed;

    private PostfixInstance(Path postfix, Path postqueue, Path configDirectory, Path queueDirectory, Path maillog,
            int port, long masterPid) {
        this.postfix = postfix;
        this.postqueue = postqueue;
        this.configDirectory = configDirectory;
        this.queueDirectory = queueDirectory;
        this.maillog = maillog;
        this.port = port;
        this.masterPid = masterPid;
        // a test that never reaches close() (a JVM stopped by failsafe's timeout) must not leave a master behind
        this.shutdownHook = new Thread(this::stopQuietly, "postfix-instance-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A private instance whose files all live under {@code dir} (a JUnit {@code @TempDir}). */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** The installed Postfix version, from {@code postconf -d mail_version}. */
    public static String version() throws IOException, InterruptedException {
        String line = defaultParameters().lines().filter(l -> l.startsWith("mail_version ="))
                .findFirst().orElseThrow(() -> new AssertionError("postconf -d printed no mail_version"));
        return line.substring(line.indexOf('=') + 1).trim();
    }

    /**
     * Whether the installed Postfix knows the parameter (for example {@code smtpd_forbid_bare_newline}, the
     * SMTP smuggling defence of 3.5.23, 3.6.13, 3.7.9 and 3.8.4).
     */
    public static boolean supportsParameter(String name) throws IOException, InterruptedException {
        return defaultParameters().lines().anyMatch(l -> l.startsWith(name + " ="));
    }

    private static String defaultParameters() throws IOException, InterruptedException {
        String parameters = defaultParameters;
        if (parameters == null) {
            Path postconf = ExternalCommand.locate("postconf", "postfix");
            parameters = ExternalCommand.run(COMMAND_TIMEOUT, List.of(postconf.toString(), "-d"))
                    .assertSuccess().output();
            defaultParameters = parameters;
        }
        return parameters;
    }

    /** The loopback port its smtpd listens on. */
    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    /** The directory with this instance's {@code main.cf} and {@code master.cf}. */
    public Path configDirectory() {
        return configDirectory;
    }

    public Path queueDirectory() {
        return queueDirectory;
    }

    /** The master daemon's process id, which is also the process group of every Postfix process it runs. */
    public long masterPid() {
        return masterPid;
    }

    /** What this instance logged so far ({@code maillog_file}), for assertion messages. */
    public String maillog() {
        try {
            return Files.readString(maillog, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "(no maillog at " + maillog + ")";
        } catch (IOException e) {
            return "(maillog unreadable: " + e + ")";
        }
    }

    /**
     * Waits until the maillog contains {@code fragment}, at most {@code bound}, and fails with the log if it does
     * not. Postfix logs through the postlogd daemon, so a line can reach the file a moment after what it reports.
     */
    public void awaitMaillog(String fragment, Duration bound) throws InterruptedException {
        if (!Await.until(bound, () -> maillog().contains(fragment))) {
            throw new AssertionError("the maillog has no '" + fragment + "' after " + bound + ":\n" + maillog());
        }
    }

    /** {@code postqueue -f}: attempt to deliver everything in the queue now. */
    public void flushQueue() throws IOException, InterruptedException {
        postqueue("-f").assertSuccess();
    }

    /** {@code postqueue -p}: the queue listing, with the reason each deferred message is waiting. */
    public String queueListing() throws IOException, InterruptedException {
        return postqueue("-p").assertSuccess().output();
    }

    public boolean isQueueEmpty() throws IOException, InterruptedException {
        return queueListing().contains("Mail queue is empty");
    }

    /** Waits until the queue is empty, at most {@code bound}; fails with the queue listing and the log if not. */
    public void awaitEmptyQueue(Duration bound) throws IOException, InterruptedException {
        boolean empty = Await.until(bound, () -> {
            try {
                return isQueueEmpty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        if (!empty) {
            throw new AssertionError("the Postfix queue is not empty after " + bound + ":\n" + queueListing()
                    + "\n--- maillog\n" + maillog());
        }
    }

    private ExternalCommand.Result postqueue(String option) throws IOException, InterruptedException {
        return ExternalCommand.run(COMMAND_TIMEOUT,
                List.of(postqueue.toString(), "-c", configDirectory.toString(), option));
    }

    /**
     * The processes still alive in the master's process group (zombies count as gone: they have exited and
     * only wait for init to reap them). The master is a session and process group leader, and every daemon it
     * starts stays in its group, so after {@link #close()} this is empty.
     */
    public List<ProcessHandle> liveProcesses() {
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
    public static boolean isRunning(long pid) {
        String[] fields = procStatFields(pid);
        return fields != null && isRunning(fields);
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

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .collect(Collectors.joining("\n"));
    }

    /**
     * Stops the instance with {@code postfix -c DIR stop} (SIGTERM to the master, which passes it on to its
     * process group; the script itself waits up to five seconds, then kills the group) and waits until no
     * process of the group is alive. Fails if the stop failed or processes stayed behind (after killing them).
     * Call it before the directory is deleted: {@code postfix stop} needs the configuration.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
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
                    + String.join(" ", stop.command()) + "' and were killed:\n" + describe(left) + "\n" + stop
                    + "\n--- maillog\n" + maillog());
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
        if (closed) {
            return;
        }
        closed = true;
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

    /** The settings of one instance; {@link #start()} writes them and starts Postfix. */
    public static final class Builder {
        private final Path dir;
        private String hostname = "mta.postfix.test";
        private Integer relayhostPort;
        private final Map<String, Integer> transports = new LinkedHashMap<>();
        private String smtpTlsSecurityLevel = "may";
        private Path smtpdTlsKey;
        private Path smtpdTlsCertificate;
        private String forbidBareNewline = "reject";
        private final Map<String, String> parameters = new LinkedHashMap<>();

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** {@code myhostname}, which smtpd greets with and the smtp client sends in EHLO. */
        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /**
         * {@code relayhost = [127.0.0.1]:port}: where mail goes that no transport map entry routes. Without a
         * relayhost such mail bounces ({@code default_transport = error:...}): this instance never looks up MX
         * records or connects anywhere but to loopback.
         */
        public Builder relayhost(int port) {
            this.relayhostPort = port;
            return this;
        }

        /** A {@code transport_maps} entry: mail for {@code domain} goes to {@code smtp:[127.0.0.1]:port}. */
        public Builder transport(String domain, int port) {
            transports.put(domain, port);
            return this;
        }

        /** {@code smtp_tls_security_level} of the client that delivers onwards: {@code may} (default) or {@code none}. */
        public Builder smtpTlsSecurityLevel(String level) {
            this.smtpTlsSecurityLevel = level;
            return this;
        }

        /** Lets smtpd offer STARTTLS ({@code smtpd_tls_security_level = may}) with this PEM key and certificate. */
        public Builder smtpdTls(Path key, Path certificate) {
            this.smtpdTlsKey = key;
            this.smtpdTlsCertificate = certificate;
            return this;
        }

        /**
         * {@code smtpd_forbid_bare_newline}, where the installed Postfix supports it: {@code reject} (default:
         * a client that ends a line with a bare LF gets {@code 550}), {@code normalize} or {@code no}. The
         * exclusions are emptied, since by default they exempt {@code $mynetworks}, which here is every client.
         */
        public Builder forbidBareNewline(String value) {
            this.forbidBareNewline = value;
            return this;
        }

        /** Any other {@code main.cf} parameter; it overrides the defaults written by this class. */
        public Builder parameter(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        public PostfixInstance start() throws IOException, InterruptedException {
            Path postfix = ExternalCommand.locate("postfix", "postfix");
            Path postqueue = ExternalCommand.locate("postqueue", "postfix");
            Path config = dir.resolve("etc");
            Path queue = dir.resolve("queue");
            Path maillog = dir.resolve("maillog");
            Files.createDirectories(config);
            Files.createDirectories(queue);
            allowPostfixToEnter(dir);
            if (!transports.isEmpty()) {
                StringBuilder map = new StringBuilder();
                transports.forEach((domain, port) -> map.append(domain).append(" smtp:[").append(HOST).append("]:")
                        .append(port).append('\n'));
                Files.writeString(config.resolve("transport"), map, StandardCharsets.UTF_8);
            }
            boolean bareNewline = supportsParameter("smtpd_forbid_bare_newline");
            ExternalCommand.Result start = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int port = freeLoopbackPort();
                Files.writeString(config.resolve("main.cf"), mainCf(config, queue, maillog, bareNewline),
                        StandardCharsets.UTF_8);
                Files.writeString(config.resolve("master.cf"), masterCf(port), StandardCharsets.UTF_8);
                start = ExternalCommand.run(COMMAND_TIMEOUT,
                        List.of(postfix.toString(), "-c", config.toString(), "start"));
                if (start.exitCode() == 0) {
                    long masterPid = Long.parseLong(
                            Files.readString(queue.resolve("pid/master.pid"), StandardCharsets.US_ASCII).trim());
                    PostfixInstance instance = new PostfixInstance(postfix, postqueue, config, queue, maillog, port,
                            masterPid);
                    try {
                        instance.awaitBanner();
                    } catch (AssertionError | RuntimeException | InterruptedException e) {
                        try {
                            instance.close();
                        } catch (AssertionError | IOException closing) {
                            e.addSuppressed(closing);
                        }
                        throw e;
                    }
                    return instance;
                }
                // another process took the port between our probe and Postfix's bind: try another one
                if (!readQuietly(maillog).contains("Address already in use")) {
                    break;
                }
            }
            throw new AssertionError("could not start a private Postfix in " + config + ": " + start
                    + "\n--- maillog\n" + readQuietly(maillog));
        }

        private String mainCf(Path config, Path queue, Path maillog, boolean bareNewline) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("compatibility_level", "3.6");
            p.put("queue_directory", queue.toString());
            p.put("data_directory", dir.resolve("data").toString());
            p.put("maillog_file", maillog.toString());
            // maillog_file must lie below one of these prefixes (the default allows only /var and /dev/stdout)
            p.put("maillog_file_prefixes", dir.toString());
            p.put("syslog_name", "postfix-test");
            p.put("myhostname", hostname);
            p.put("myorigin", "$myhostname");
            p.put("inet_interfaces", HOST);
            p.put("inet_protocols", "ipv4");
            p.put("mynetworks", "127.0.0.0/8");
            // nothing is delivered locally: this MTA only relays
            p.put("mydestination", "");
            p.put("local_recipient_maps", "");
            p.put("local_transport", "error:local delivery disabled");
            p.put("alias_maps", "");
            p.put("alias_database", "");
            p.put("biff", "no");
            if (relayhostPort != null) {
                p.put("relayhost", "[" + HOST + "]:" + relayhostPort);
            } else {
                p.put("default_transport", "error:this test instance has no relayhost");
            }
            if (!transports.isEmpty()) {
                // texthash: read as it is, no postmap needed
                p.put("transport_maps", "texthash:" + config.resolve("transport"));
            }
            p.put("smtp_dns_support_level", "disabled");
            p.put("smtp_tls_security_level", smtpTlsSecurityLevel);
            // "TLS connection established ..." lines in the maillog tell which hops were encrypted
            p.put("smtp_tls_loglevel", "1");
            p.put("smtpd_tls_loglevel", "1");
            if (smtpdTlsKey != null) {
                p.put("smtpd_tls_security_level", "may");
                p.put("smtpd_tls_chain_files", smtpdTlsKey + ", " + smtpdTlsCertificate);
            } else {
                p.put("smtpd_tls_security_level", "none");
            }
            if (bareNewline) {
                p.put("smtpd_forbid_bare_newline", forbidBareNewline);
                p.put("smtpd_forbid_bare_newline_exclusions", "");
            }
            // a test retries deferred mail within seconds, not minutes
            p.put("queue_run_delay", "1s");
            p.put("minimal_backoff_time", "1s");
            p.put("maximal_backoff_time", "5s");
            p.put("smtp_connect_timeout", "5s");
            p.put("in_flow_delay", "0s");
            p.putAll(parameters);
            StringBuilder text = new StringBuilder(
                    "# A private Postfix test instance written by PostfixInstance; not the system's Postfix.\n");
            p.forEach((name, value) -> text.append(name).append(" = ").append(value).append('\n'));
            return text.toString();
        }

        private static String masterCf(int port) {
            // Debian's master.cf less the local delivery agents and pipes; nothing is chrooted (a chroot would need
            // copies of /etc files in the queue directory)
            return "# A private Postfix test instance written by PostfixInstance; not the system's Postfix.\n"
                    + "# The default listener on port 25 stays off:\n"
                    + "#smtp      inet  n       -       y       -       -       smtpd\n"
                    + HOST + ":" + port + " inet n - n - - smtpd\n"
                    + "pickup    unix  n       -       n       60      1       pickup\n"
                    + "cleanup   unix  n       -       n       -       0       cleanup\n"
                    + "qmgr      unix  n       -       n       300     1       qmgr\n"
                    + "tlsmgr    unix  -       -       n       1000?   1       tlsmgr\n"
                    + "rewrite   unix  -       -       n       -       -       trivial-rewrite\n"
                    + "bounce    unix  -       -       n       -       0       bounce\n"
                    + "defer     unix  -       -       n       -       0       bounce\n"
                    + "trace     unix  -       -       n       -       0       bounce\n"
                    + "verify    unix  -       -       n       -       1       verify\n"
                    + "flush     unix  n       -       n       1000?   0       flush\n"
                    + "proxymap  unix  -       -       n       -       -       proxymap\n"
                    + "proxywrite unix -       -       n       -       1       proxymap\n"
                    + "smtp      unix  -       -       n       -       -       smtp\n"
                    + "relay     unix  -       -       n       -       -       smtp\n"
                    + "showq     unix  n       -       n       -       -       showq\n"
                    + "error     unix  -       -       n       -       -       error\n"
                    + "retry     unix  -       -       n       -       -       error\n"
                    + "discard   unix  -       -       n       -       -       discard\n"
                    + "anvil     unix  -       -       n       -       1       anvil\n"
                    + "scache    unix  -       -       n       -       1       scache\n"
                    // maillog_file is written by postlogd, reached through this socket
                    + "postlog   unix-dgram n  -       n       -       1       postlogd\n";
        }
    }

    /**
     * The master and its daemons open files by absolute path under {@code dir} after they have become the
     * {@code postfix} user (the master's {@code data/master.lock}, for one), but JUnit makes its temporary
     * directories {@code 0700}. Allow others to pass through (search only, no listing) {@code dir} and the
     * directories between it and the system's temporary directory; fail clearly if another directory above it
     * does not allow that.
     */
    private static void allowPostfixToEnter(Path dir) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Path absolute = dir.toAbsolutePath().normalize();
        for (Path d = absolute; d != null; d = d.getParent()) {
            Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(d));
            if (permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                continue;
            }
            if (!d.equals(absolute) && !(d.startsWith(tmp) && !d.equals(tmp))) {
                throw new AssertionError("the postfix user cannot pass through " + d + " to reach " + dir
                        + ": give the instance a directory whose parents allow others to search them (o+x)");
            }
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(d, permissions);
        }
    }

    /** A port that was free on loopback a moment ago. */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "Postfix " + Objects.toString(configDirectory) + " on " + HOST + ":" + port;
    }
}
