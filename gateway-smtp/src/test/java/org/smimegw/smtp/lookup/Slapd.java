package org.smimegw.smtp.lookup;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.smimegw.core.testing.Openssl;

/**
 * A private OpenLDAP server for tests: the Debian package's {@code slapd} with a configuration, an mdb database, a
 * log and a TLS certificate of its own under {@code dir}, listening only on {@code 127.0.0.1} at two free ports
 * ({@code ldap://} and {@code ldaps://}). The system's slapd ({@code /etc/ldap/slapd.d}, {@code /var/lib/ldap}) is
 * neither used nor touched.
 *
 * <p>slapd runs in the foreground ({@code -d stats}) as a child process of the test JVM, as the current user (root
 * in CI; slapd runs as root without {@code -u}), with the old one-file configuration ({@code -f}). Its stats log (one
 * line per connection and operation, with the filters clients sent) goes to {@link #log()}. The directory holds the
 * base entry {@value #BASE_DN}; {@link #add} loads more with {@code ldapadd} bound as {@value #ADMIN_DN}, the
 * database's rootdn, which no access rule restricts. Without anonymous read ({@link Builder#anonymousRead}), slapd
 * refuses anonymous binds ({@code inappropriateAuthentication}) and searches on a connection without a bind
 * ({@code unwillingToPerform}, "authentication required"); a user made with {@link #addUser} may read everything
 * but other users' passwords.
 */
final class Slapd implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final String BASE_DN = "dc=example,dc=org";
    static final String ADMIN_DN = "cn=admin," + BASE_DN;
    static final String ADMIN_PASSWORD = "slapd-admin-secret";
    /** The configuration's file name under {@code dir}; {@code ./test} stops every slapd that reads another. */
    static final String CONFIG_FILE = "smime-gateway-test-slapd.conf";

    private static final Path SLAPD = Path.of("/usr/sbin/slapd");
    private static final Path LDAPADD = Path.of("/usr/bin/ldapadd");
    private static final Path SCHEMA = Path.of("/etc/ldap/schema");
    private static final Path MODULES = Path.of("/usr/lib/ldap");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;
    private static final int START_ATTEMPTS = 3;
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private final Process process;
    private final Path dir;
    private final Path log;
    private final Path certificate;
    private final int port;
    private final int ldapsPort;
    private final Thread shutdownHook;
    private int ldifFiles;
    private boolean closed;

    private Slapd(Process process, Path dir, Path log, Path certificate, int port, int ldapsPort) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.certificate = certificate;
        this.port = port;
        this.ldapsPort = ldapsPort;
        // a test that never reaches close() (a JVM stopped by failsafe's timeout) must not leave a slapd behind
        this.shutdownHook = new Thread(this::stopQuietly, "slapd-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A slapd whose files all live under {@code dir} (a JUnit {@code @TempDir}); anonymous clients may read. */
    static Slapd start(Path dir) throws IOException, InterruptedException {
        return builder(dir).start();
    }

    /** As {@link #start(Path)}; with {@code anonymousRead} false only bound clients may read. */
    static Slapd start(Path dir, boolean anonymousRead) throws IOException, InterruptedException {
        return builder(dir).anonymousRead(anonymousRead).start();
    }

    static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** The options of {@code slapd.conf} that tests vary. */
    static final class Builder {
        private final Path dir;
        private boolean anonymousRead = true;
        private int sizeLimit = 500;
        private int timeLimit = 10;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Whether clients without a bind may search and read (default true). */
        Builder anonymousRead(boolean value) {
            this.anonymousRead = value;
            return this;
        }

        /** The most entries one search returns before {@code sizeLimitExceeded} (default 500). */
        Builder sizeLimit(int entries) {
            this.sizeLimit = entries;
            return this;
        }

        /** The most seconds one search may take before {@code timeLimitExceeded} (default 10). */
        Builder timeLimit(int seconds) {
            this.timeLimit = seconds;
            return this;
        }

        /**
         * Writes the configuration, starts slapd on free loopback ports (others when a different process took a
         * port first) and adds the base entry.
         */
        Slapd start() throws IOException, InterruptedException {
            return Slapd.start(this);
        }
    }

    private static Slapd start(Builder options) throws IOException, InterruptedException {
        Path slapd = locate(SLAPD, "slapd");
        locate(LDAPADD, "ldap-utils");
        Path dir = options.dir.toAbsolutePath();
        Files.createDirectories(dir.resolve("db"));
        Path certificate = dir.resolve("tls/cert.pem");
        Path key = dir.resolve("tls/key.pem");
        writeCertificate(dir, certificate, key);
        Path config = dir.resolve(CONFIG_FILE);
        Files.writeString(config, configuration(options, dir, certificate, key), StandardCharsets.UTF_8);
        Path log = dir.resolve("slapd.log");
        String failure = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int[] ports = freeLoopbackPorts(2);
            Files.deleteIfExists(log);
            Process process = new ProcessBuilder(slapd.toString(), "-f", config.toString(),
                    "-h", "ldap://" + HOST + ":" + ports[0] + "/ ldaps://" + HOST + ":" + ports[1] + "/",
                    "-d", "stats")
                    .directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (awaitReady(process, log, ports)) {
                Slapd instance = new Slapd(process, dir, log, certificate, ports[0], ports[1]);
                try {
                    instance.add("dn: " + BASE_DN + "\nobjectClass: dcObject\nobjectClass: organization\n"
                            + "dc: example\no: Example\n");
                } catch (AssertionError | IOException | RuntimeException | InterruptedException e) {
                    try {
                        instance.close();
                    } catch (AssertionError | IOException closing) {
                        e.addSuppressed(closing);
                    }
                    throw e;
                }
                return instance;
            }
            String state = process.isAlive() ? "did not listen within " + READY_TIMEOUT
                    : "exited with " + process.exitValue();
            stop(process);
            failure = "slapd -f " + config + " on " + HOST + ":" + ports[0] + " and " + ports[1] + " " + state
                    + "\n--- slapd log\n" + read(log);
            // another process took a port between our probe and slapd's bind: try others
            if (!failure.contains("Address already in use")) {
                break;
            }
        }
        throw new AssertionError("could not start a private slapd in " + dir + ": " + failure
                + "\n--- " + CONFIG_FILE + "\n" + read(config));
    }

    /** {@code ldap://127.0.0.1:PORT}, no trailing slash. */
    String url() {
        return "ldap://" + HOST + ":" + port;
    }

    /** {@code ldaps://127.0.0.1:PORT}, served with {@link #ldapsCertificate()}. */
    String ldapsUrl() {
        return "ldaps://" + HOST + ":" + ldapsPort;
    }

    int port() {
        return port;
    }

    int ldapsPort() {
        return ldapsPort;
    }

    /**
     * The self-signed PEM certificate of the ldaps listener (EC P-256, subject and IP address SAN
     * {@code 127.0.0.1}): the trust anchor a client needs, which also passes host name verification.
     */
    Path ldapsCertificate() {
        return certificate;
    }

    String baseDn() {
        return BASE_DN;
    }

    String adminDn() {
        return ADMIN_DN;
    }

    String adminPassword() {
        return ADMIN_PASSWORD;
    }

    /** What slapd logged so far ({@code -d stats}), for assertion messages. */
    String log() {
        return read(log);
    }

    /**
     * Adds the entries of {@code ldif} (add records separated by blank lines; binary values as {@code attr:: BASE64},
     * see {@link #base64}) with {@code ldapadd -f FILE} bound as the admin. Fails with ldapadd's output on any error.
     */
    void add(String ldif) throws IOException, InterruptedException {
        Path file = dir.resolve("ldif/add-" + (++ldifFiles) + ".ldif");
        Files.createDirectories(file.getParent());
        Files.writeString(file, ldif, StandardCharsets.UTF_8);
        List<String> command = List.of(LDAPADD.toString(), "-x", "-H", url(), "-D", ADMIN_DN, "-w", ADMIN_PASSWORD,
                "-f", file.toString());
        Path output = dir.resolve("ldif/add-" + ldifFiles + ".out");
        Process ldapadd = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!ldapadd.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            ldapadd.destroyForcibly();
            ldapadd.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("ldapadd did not finish within " + COMMAND_TIMEOUT + ": " + read(output));
        }
        if (ldapadd.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + ldapadd.exitValue() + "\n"
                    + read(output) + "\n--- " + file + "\n" + ldif);
        }
    }

    /**
     * Adds {@code cn=CN,dc=example,dc=org}, an inetOrgPerson with {@code mail} and each certificate as a value of
     * {@code userCertificate;binary} (slapd checks that a value is a DER certificate); returns its DN.
     */
    String addPerson(String cn, String mail, byte[]... certificates) throws IOException, InterruptedException {
        StringBuilder ldif = new StringBuilder();
        String dn = "cn=" + cn + "," + BASE_DN;
        ldif.append("dn: ").append(dn).append("\nobjectClass: inetOrgPerson\ncn: ").append(cn)
                .append("\nsn: ").append(cn).append("\nmail: ").append(mail).append('\n');
        for (byte[] der : certificates) {
            ldif.append("userCertificate;binary:: ").append(base64(der)).append('\n');
        }
        add(ldif.toString());
        return dn;
    }

    /**
     * Adds {@code cn=CN,dc=example,dc=org} with a plain {@code userPassword}, for simple binds of a client's bind DN
     * and password; returns its DN.
     */
    String addUser(String cn, String password) throws IOException, InterruptedException {
        String dn = "cn=" + cn + "," + BASE_DN;
        add("dn: " + dn + "\nobjectClass: inetOrgPerson\ncn: " + cn + "\nsn: " + cn + "\nuserPassword: " + password
                + "\n");
        return dn;
    }

    /** An LDIF value for {@code attr:: VALUE}: base64 on one line, which ldapadd reads however long. */
    static String base64(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
    }

    /** Stops slapd with SIGTERM and waits for it; kills it if it is still running after a bound. */
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
        if (!stop(process)) {
            throw new AssertionError("slapd did not stop within " + EXIT_TIMEOUT + " of SIGTERM and was killed"
                    + "\n--- slapd log\n" + log());
        }
    }

    /** The shutdown hook of an instance that was never closed: the JVM is exiting, so no exceptions. */
    private void stopQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop(process);
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }

    /** SIGTERM, then SIGKILL after {@link #EXIT_TIMEOUT}; true if SIGTERM was enough. */
    private static boolean stop(Process process) throws InterruptedException {
        process.destroy();
        if (process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        process.destroyForcibly();
        process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return false;
    }

    /**
     * Polls until slapd logged that it serves ({@code slapd starting}, after it bound its listeners) and both
     * ports accept connections; false if it exits first or {@link #READY_TIMEOUT} passes. The log line makes sure
     * that it is slapd that answers, not another process that took a port.
     */
    private static boolean awaitReady(Process process, Path log, int[] ports) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (process.isAlive()) {
            if (read(log).contains("slapd starting") && accepts(ports[0]) && accepts(ports[1])) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        return false;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String configuration(Builder options, Path dir, Path certificate, Path key) {
        List<String> lines = new ArrayList<>();
        for (String schema : List.of("core", "cosine", "inetorgperson")) {
            lines.add("include " + SCHEMA.resolve(schema + ".schema"));
        }
        lines.add("pidfile " + dir.resolve("slapd.pid"));
        lines.add("argsfile " + dir.resolve("slapd.args"));
        // Debian builds the backends as modules
        lines.add("modulepath " + MODULES);
        lines.add("moduleload back_mdb");
        lines.add("TLSCertificateFile " + certificate);
        lines.add("TLSCertificateKeyFile " + key);
        lines.add("sizelimit " + options.sizeLimit);
        lines.add("timelimit " + options.timeLimit);
        if (!options.anonymousRead) {
            lines.add("disallow bind_anon");
            lines.add("require authc");
        }
        lines.add("");
        lines.add("database mdb");
        lines.add("maxsize 104857600");
        lines.add("directory " + dir.resolve("db"));
        lines.add("suffix \"" + BASE_DN + "\"");
        lines.add("rootdn \"" + ADMIN_DN + "\"");
        lines.add("rootpw " + ADMIN_PASSWORD);
        lines.add("access to attrs=userPassword by self write by anonymous auth by * none");
        lines.add(options.anonymousRead ? "access to * by * read" : "access to * by users read by * none");
        return String.join("\n", lines) + "\n";
    }

    /** A self-signed EC certificate for {@code 127.0.0.1}, made with {@code openssl req -x509}. */
    private static void writeCertificate(Path dir, Path certificate, Path key)
            throws IOException, InterruptedException {
        Files.createDirectories(certificate.getParent());
        new Openssl(certificate.getParent()).run("req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30",
                "-subj", "/CN=" + HOST, "-addext", "subjectAltName=IP:" + HOST,
                "-keyout", key.toString(), "-out", certificate.toString()).assertSuccess();
    }

    /** Distinct ports that were free on loopback a moment ago. */
    private static int[] freeLoopbackPorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * The program, which CI installs with its Debian package ({@code ./test} does so when it is missing): a
     * missing one is a broken machine, not a reason to skip.
     */
    private static Path locate(Path program, String debianPackage) {
        if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
            throw new AssertionError(program + " is not installed: install the Debian package with"
                    + " 'apt-get install -y " + debianPackage + "'; ./test does so when it is missing");
        }
        return program;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "slapd " + dir + " on " + url() + " and " + ldapsUrl();
    }
}
