package org.smimegw.smtp.mta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.smimegw.smtp.testing.ExternalCommand;

/**
 * The settings of one private Postfix instance and the files they become: {@code etc/main.cf},
 * {@code etc/master.cf} and the transport map, with the queue, data directory and {@code maillog} beside them,
 * all under {@code dir}. {@link #start()} writes them and starts Postfix ({@link PostfixInstance}).
 */
public final class PostfixConfig {
    private static volatile String defaultParameters;

    private final Path dir;
    private String hostname = "mta.postfix.test";
    private Integer relayhostPort;
    private final Map<String, Integer> transports = new LinkedHashMap<>();
    private String smtpTlsSecurityLevel = "may";
    private Path smtpdTlsKey;
    private Path smtpdTlsCertificate;
    private String forbidBareNewline = "reject";
    private final Map<String, String> parameters = new LinkedHashMap<>();

    PostfixConfig(Path dir) {
        this.dir = dir;
    }

    /** {@code myhostname}, which smtpd greets with and the smtp client sends in EHLO. */
    public PostfixConfig hostname(String hostname) {
        this.hostname = hostname;
        return this;
    }

    /**
     * {@code relayhost = [127.0.0.1]:port}: where mail goes that no transport map entry routes. Without a
     * relayhost such mail bounces ({@code default_transport = error:...}): this instance never looks up MX
     * records or connects anywhere but to loopback.
     */
    public PostfixConfig relayhost(int port) {
        this.relayhostPort = port;
        return this;
    }

    /** A {@code transport_maps} entry: mail for {@code domain} goes to {@code smtp:[127.0.0.1]:port}. */
    public PostfixConfig transport(String domain, int port) {
        transports.put(domain, port);
        return this;
    }

    /** {@code smtp_tls_security_level} of the client that delivers onwards: {@code may} (default) or {@code none}. */
    public PostfixConfig smtpTlsSecurityLevel(String level) {
        this.smtpTlsSecurityLevel = level;
        return this;
    }

    /** Lets smtpd offer STARTTLS ({@code smtpd_tls_security_level = may}) with this PEM key and certificate. */
    public PostfixConfig smtpdTls(Path key, Path certificate) {
        this.smtpdTlsKey = key;
        this.smtpdTlsCertificate = certificate;
        return this;
    }

    /**
     * {@code smtpd_forbid_bare_newline}, where the installed Postfix supports it: {@code reject} (default:
     * a client that ends a line with a bare LF gets {@code 550}), {@code normalize} or {@code no}. The
     * exclusions are emptied, since by default they exempt {@code $mynetworks}, which here is every client.
     */
    public PostfixConfig forbidBareNewline(String value) {
        this.forbidBareNewline = value;
        return this;
    }

    /** Any other {@code main.cf} parameter; it overrides the defaults written by this class. */
    public PostfixConfig parameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    public PostfixInstance start() throws IOException, InterruptedException {
        return PostfixInstance.start(this);
    }

    /** The installed Postfix version, from {@code postconf -d mail_version}. */
    static String version() throws IOException, InterruptedException {
        String line = defaultParameters().lines().filter(l -> l.startsWith("mail_version ="))
                .findFirst().orElseThrow(() -> new AssertionError("postconf -d printed no mail_version"));
        return line.substring(line.indexOf('=') + 1).trim();
    }

    /** Whether the installed Postfix knows the {@code main.cf} parameter. */
    static boolean supportsParameter(String name) throws IOException, InterruptedException {
        return defaultParameters().lines().anyMatch(l -> l.startsWith(name + " ="));
    }

    private static String defaultParameters() throws IOException, InterruptedException {
        String parameters = defaultParameters;
        if (parameters == null) {
            Path postconf = ExternalCommand.locate("postconf", "postfix");
            parameters = ExternalCommand.run(PostfixInstance.COMMAND_TIMEOUT, List.of(postconf.toString(), "-d"))
                    .assertSuccess().output();
            defaultParameters = parameters;
        }
        return parameters;
    }

    /** The directory with this instance's {@code main.cf} and {@code master.cf}. */
    Path configDirectory() {
        return dir.resolve("etc");
    }

    Path queueDirectory() {
        return dir.resolve("queue");
    }

    Path maillogFile() {
        return dir.resolve("maillog");
    }

    /** Creates the directories, lets the {@code postfix} user reach them, and writes the transport map. */
    void prepare() throws IOException {
        Files.createDirectories(configDirectory());
        Files.createDirectories(queueDirectory());
        allowPostfixToEnter(dir);
        if (!transports.isEmpty()) {
            StringBuilder map = new StringBuilder();
            transports.forEach((domain, port) -> map.append(domain).append(" smtp:[").append(PostfixInstance.HOST)
                    .append("]:").append(port).append('\n'));
            Files.writeString(configDirectory().resolve("transport"), map, StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code main.cf} and a {@code master.cf} whose smtpd listens on {@code port}. */
    void write(int port) throws IOException, InterruptedException {
        Files.writeString(configDirectory().resolve("main.cf"), mainCf(supportsParameter("smtpd_forbid_bare_newline")),
                StandardCharsets.UTF_8);
        Files.writeString(configDirectory().resolve("master.cf"), masterCf(port), StandardCharsets.UTF_8);
    }

    private String mainCf(boolean bareNewline) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("compatibility_level", "3.6");
        p.put("queue_directory", queueDirectory().toString());
        p.put("data_directory", dir.resolve("data").toString());
        p.put("maillog_file", maillogFile().toString());
        // maillog_file must lie below one of these prefixes (the default allows only /var and /dev/stdout)
        p.put("maillog_file_prefixes", dir.toString());
        p.put("syslog_name", "postfix-test");
        p.put("myhostname", hostname);
        p.put("myorigin", "$myhostname");
        p.put("inet_interfaces", PostfixInstance.HOST);
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
            p.put("relayhost", "[" + PostfixInstance.HOST + "]:" + relayhostPort);
        } else {
            p.put("default_transport", "error:this test instance has no relayhost");
        }
        if (!transports.isEmpty()) {
            // texthash: read as it is, no postmap needed
            p.put("transport_maps", "texthash:" + configDirectory().resolve("transport"));
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
                "# A private Postfix test instance written by PostfixConfig; not the system's Postfix.\n");
        p.forEach((name, value) -> text.append(name).append(" = ").append(value).append('\n'));
        return text.toString();
    }

    private static String masterCf(int port) {
        // Debian's master.cf less the local delivery agents and pipes; nothing is chrooted (a chroot would need
        // copies of /etc files in the queue directory)
        return "# A private Postfix test instance written by PostfixConfig; not the system's Postfix.\n"
                + "# The default listener on port 25 stays off:\n"
                + "#smtp      inet  n       -       y       -       -       smtpd\n"
                + PostfixInstance.HOST + ":" + port + " inet n - n - - smtpd\n"
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
}
