package org.smimegw.smtp.lookup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.smimegw.core.testing.Openssl;
import org.smimegw.smtp.testing.ExternalCommand;
import org.smimegw.smtp.testing.HarnessStop;
import org.smimegw.smtp.testing.LoopbackPorts;
import org.smimegw.smtp.testing.ServerProcess;

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
    static final String HOST = LoopbackPorts.HOST;
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
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private final ServerProcess slapd;
    private final Path dir;
    private final Path certificate;
    private final HarnessStop stop;
    private int ldifFiles;

    private Slapd(ServerProcess slapd, Path dir, Path certificate) {
        this.slapd = slapd;
        this.dir = dir;
        this.certificate = certificate;
        this.stop = new HarnessStop("slapd-stop", slapd::stopQuietly);
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
        Path slapd = ExternalCommand.locate(SLAPD, "slapd");
        ExternalCommand.locate(LDAPADD, "ldap-utils");
        Path dir = options.dir.toAbsolutePath();
        Files.createDirectories(dir.resolve("db"));
        Path certificate = dir.resolve("tls/cert.pem");
        Path key = dir.resolve("tls/key.pem");
        writeCertificate(dir, certificate, key);
        Path config = dir.resolve(CONFIG_FILE);
        ServerProcess process = ServerProcess.launcher("slapd", config, dir.resolve("slapd.log"))
                .ports(() -> LoopbackPorts.freeTcp(2))
                .configuration(ports -> configuration(options, dir, certificate, key))
                .command(ports -> List.of(slapd.toString(), "-f", config.toString(),
                        "-h", "ldap://" + HOST + ":" + ports[0] + "/ ldaps://" + HOST + ":" + ports[1] + "/",
                        "-d", "stats"))
                // slapd logs "slapd starting" once it has bound its listeners
                .readyWhen("slapd starting", ports -> accepts(ports[0]) && accepts(ports[1]))
                .start(READY_TIMEOUT);
        return HarnessStop.closeOnFailure(new Slapd(process, dir, certificate), instance -> instance.add(
                "dn: " + BASE_DN + "\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n"));
    }

    /** {@code ldap://127.0.0.1:PORT}, no trailing slash. */
    String url() {
        return "ldap://" + HOST + ":" + port();
    }

    /** {@code ldaps://127.0.0.1:PORT}, served with {@link #ldapsCertificate()}. */
    String ldapsUrl() {
        return "ldaps://" + HOST + ":" + ldapsPort();
    }

    int port() {
        return slapd.port(0);
    }

    int ldapsPort() {
        return slapd.port(1);
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
        return slapd.log();
    }

    /**
     * Adds the entries of {@code ldif} (add records separated by blank lines; binary values as {@code attr:: BASE64},
     * see {@link #base64}) with {@code ldapadd -f FILE} bound as the admin. Fails with ldapadd's output on any error.
     */
    void add(String ldif) throws IOException, InterruptedException {
        Path file = dir.resolve("ldif/add-" + (++ldifFiles) + ".ldif");
        Files.createDirectories(file.getParent());
        Files.writeString(file, ldif, StandardCharsets.UTF_8);
        ExternalCommand.Result ldapadd = ExternalCommand.run(COMMAND_TIMEOUT, List.of(LDAPADD.toString(), "-x",
                "-H", url(), "-D", ADMIN_DN, "-w", ADMIN_PASSWORD, "-f", file.toString()));
        if (ldapadd.exitCode() != 0) {
            throw new AssertionError(ldapadd + "\n--- " + file + "\n" + ldif);
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
        if (stop.claim() && !slapd.stop()) {
            throw new AssertionError("slapd did not stop within " + ServerProcess.STOP_TIMEOUT
                    + " of SIGTERM and was killed\n--- slapd log\n" + log());
        }
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

    @Override
    public String toString() {
        return "slapd " + dir + " on " + url() + " and " + ldapsUrl();
    }
}
