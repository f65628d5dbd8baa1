package org.smimegw.smtp.lookup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.smimegw.smtp.testing.ExternalCommand;
import org.smimegw.smtp.testing.HarnessStop;
import org.smimegw.smtp.testing.LoopbackPorts;
import org.smimegw.smtp.testing.ServerProcess;

/**
 * Real DNS servers for the DANE SMIMEA tests (RFC 8162): an authoritative Knot DNS and a validating Unbound in front
 * of it, both private child processes of the test JVM with their configurations, databases, keys and logs under
 * {@code dir}, each listening only on {@code 127.0.0.1} at a free port (UDP and TCP). The system's Knot and Unbound
 * ({@code /etc/knot}, {@code /etc/unbound}) are neither used nor touched; {@code ./test} keeps them stopped and
 * recognises a test's servers by {@link #KNOT_CONFIG} and {@link #UNBOUND_CONFIG}.
 *
 * <p>Knot serves three zones, each with SOA, NS and the records a test gives ({@link Builder}):
 * <ul>
 * <li>{@value #SIGNED}, which Knot signs itself on load (ECDSA P-256, algorithm 13, one combined signing key);
 * Unbound has its DS as trust anchor, so answers are secure and carry the AD flag;</li>
 * <li>{@value #PLAIN}, unsigned and without a trust anchor: insecure, NOERROR without AD;</li>
 * <li>{@value #BOGUS}, signed like {@value #SIGNED}, but Unbound's anchor is a DS with the right key tag and a
 * wrong digest: every answer fails validation and Unbound returns SERVFAIL.</li>
 * </ul>
 * Unbound reaches the zones through stub zones, never the root, and knows no other anchor. {@link #start} returns
 * once Knot has signed both signed zones and Unbound validates as described ({@link #check()}).
 */
final class DnsServers implements AutoCloseable {
    static final String HOST = LoopbackPorts.HOST;
    static final String SIGNED = "signed.test.";
    static final String PLAIN = "plain.test.";
    static final String BOGUS = "bogus.test.";
    /** Knot's configuration's file name under {@code dir}; {@code ./test} stops every knotd that reads another. */
    static final String KNOT_CONFIG = "smime-gateway-test-knot.conf";
    /** Unbound's configuration's file name under {@code dir}; {@code ./test} stops every unbound reading another. */
    static final String UNBOUND_CONFIG = "smime-gateway-test-unbound.conf";
    /** The TTL of every record, also the negative-caching TTL of the SOA. */
    static final int TTL = 300;

    private static final Path KNOTD = Path.of("/usr/sbin/knotd");
    private static final Path KEYMGR = Path.of("/usr/sbin/keymgr");
    private static final Path KDIG = Path.of("/usr/bin/kdig");
    private static final Path UNBOUND = Path.of("/usr/sbin/unbound");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** kdig's own wait for one reply while polling a starting server (whole seconds only). */
    private static final int PROBE_TIMEOUT_SECONDS = 1;
    /** kdig's own wait for one reply to a test's query. */
    private static final int QUERY_TIMEOUT_SECONDS = 5;
    /** Linux's {@code sun_path} holds 108 bytes with the terminating zero. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;
    /** {@code keymgr ... ds}: {@code ZONE DS KEYTAG 13 2 HEX}, the SHA-256 digest of an algorithm 13 key. */
    private static final Pattern DS_SHA256 = Pattern.compile("(?m)^(\\S+) DS (\\d+) 13 2 ([0-9A-Fa-f]{64})$");

    private final Path dir;
    private final Path kdig;
    private final ServerProcess knot;
    private final ServerProcess unbound;
    private final String signedAnchor;
    private final HarnessStop stop;

    private DnsServers(Path dir, Path kdig, ServerProcess knot, ServerProcess unbound, String signedAnchor) {
        this.dir = dir;
        this.kdig = kdig;
        this.knot = knot;
        this.unbound = unbound;
        this.signedAnchor = signedAnchor;
        this.stop = new HarnessStop("dns-servers-stop", () -> {
            unbound.stopQuietly();
            knot.stopQuietly();
        });
    }

    /** Servers whose files all live under {@code dir} (a JUnit {@code @TempDir}). */
    static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** The records of the three zones. */
    static final class Builder {
        private final Path dir;
        private final Map<String, List<String>> records = new LinkedHashMap<>();

        private Builder(Path dir) {
            this.dir = dir;
            for (String zone : List.of(SIGNED, PLAIN, BOGUS)) {
                records.put(zone, new ArrayList<>());
            }
        }

        /**
         * Adds records to {@value #SIGNED}: zone file lines, names relative to the zone or absolute (for example
         * {@code HASH._smimecert IN SMIMEA 3 0 0 HEX} or {@link #smimeaRecord}).
         */
        Builder signed(String... lines) {
            return add(SIGNED, lines);
        }

        /** Adds records to {@value #PLAIN}, as {@link #signed}. */
        Builder plain(String... lines) {
            return add(PLAIN, lines);
        }

        /** Adds records to {@value #BOGUS}, as {@link #signed}. */
        Builder bogus(String... lines) {
            return add(BOGUS, lines);
        }

        private Builder add(String zone, String... lines) {
            for (String line : lines) {
                if (line.contains("\n")) {
                    throw new IllegalArgumentException("one record per line: " + line);
                }
                records.get(zone).add(line);
            }
            return this;
        }

        /**
         * Writes the zones and configurations, starts Knot and then Unbound on free loopback ports (others when a
         * different process took a port first) and checks that Unbound validates ({@link DnsServers#check()}).
         */
        DnsServers start() throws IOException, InterruptedException {
            return DnsServers.start(this);
        }
    }

    private static DnsServers start(Builder options) throws IOException, InterruptedException {
        Path knotd = ExternalCommand.locate(KNOTD, "knot");
        Path keymgr = ExternalCommand.locate(KEYMGR, "knot");
        Path kdig = ExternalCommand.locate(KDIG, "knot-dnsutils");
        Path unboundProgram = ExternalCommand.locate(UNBOUND, "unbound");
        Path dir = options.dir.toAbsolutePath();
        Path controlSocket = dir.resolve("knot/knot.sock");
        if (controlSocket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            // knotd 3.2 exits when it cannot bind its control socket, which always lives in rundir
            throw new AssertionError("knotd's control socket " + controlSocket + " would be longer than a UNIX"
                    + " socket path may be (" + MAX_SOCKET_PATH_BYTES + " bytes): use a shorter directory"
                    + " (java.io.tmpdir)");
        }
        Files.createDirectories(dir.resolve("zones"));
        Files.createDirectories(dir.resolve("knot/db"));
        Files.createDirectories(dir.resolve("unbound"));
        for (Map.Entry<String, List<String>> zone : options.records.entrySet()) {
            Files.writeString(zoneFile(dir, zone.getKey()), DnsConfigurations.zone(zone.getKey(), zone.getValue()),
                    StandardCharsets.UTF_8);
        }

        Path knotConfig = dir.resolve(KNOT_CONFIG);
        ServerProcess knot = launcher("knotd", knotConfig)
                .configuration(ports -> DnsConfigurations.knot(dir, ports[0]))
                .command(ports -> List.of(knotd.toString(), "-c", knotConfig.toString()))
                .readyWhen("server started", ports -> knotServes(kdig, ports[0]))
                .start(READY_TIMEOUT);
        ServerProcess unbound = null;
        try {
            String signedAnchor = dsSha256(keymgr, knotConfig, SIGNED);
            String bogusAnchor = withWrongDigest(dsSha256(keymgr, knotConfig, BOGUS));
            Path unboundConfig = dir.resolve(UNBOUND_CONFIG);
            unbound = launcher("unbound", unboundConfig)
                    .configuration(ports -> DnsConfigurations.unbound(dir, ports[0], knot.port(), signedAnchor,
                            bogusAnchor))
                    .command(ports -> List.of(unboundProgram.toString(), "-d", "-c", unboundConfig.toString()))
                    .readyWhen("start of service",
                            ports -> dig(kdig, ports[0], true, PROBE_TIMEOUT_SECONDS, PLAIN, "SOA").replied())
                    .start(READY_TIMEOUT);
            return HarnessStop.closeOnFailure(new DnsServers(dir, kdig, knot, unbound, signedAnchor),
                    DnsServers::check);
        } catch (AssertionError | IOException | RuntimeException | InterruptedException e) {
            if (unbound != null) {
                unbound.stopQuietly();
            }
            knot.stopQuietly();
            throw e;
        }
    }

    /**
     * A server on a port free for UDP and TCP, with its log next to {@code config}. It logs the ready line once it
     * has bound its sockets: a UDP query before the bind would be lost and cost kdig its whole timeout (kdig does
     * not notice the ICMP port unreachable).
     */
    private static ServerProcess.Launcher launcher(String name, Path config) {
        return ServerProcess.launcher(name, config, config.resolveSibling(name + ".log"))
                .ports(() -> new int[] {LoopbackPorts.freeUdpAndTcp()});
    }

    /** The port Unbound, the validating resolver, answers on ({@value #HOST}, UDP and TCP). */
    int resolverPort() {
        return unbound.port();
    }

    /** The port Knot, the authoritative server of the three zones, answers on ({@value #HOST}, UDP and TCP). */
    int authoritativePort() {
        return knot.port();
    }

    /** Unbound's trust anchor for {@value #SIGNED}: {@code signed.test. DS KEYTAG 13 2 HEX}. */
    String trustAnchor() {
        return signedAnchor;
    }

    /** The running knotd and unbound processes (for tests of {@link #close()}). */
    List<ProcessHandle> processes() {
        return List.of(knot.handle(), unbound.handle());
    }

    /** What Knot logged so far, for assertion messages. */
    String knotLog() {
        return knot.log();
    }

    /** What Unbound logged so far (with the reason of each validation failure), for assertion messages. */
    String unboundLog() {
        return unbound.log();
    }

    /**
     * Asks Unbound with {@code kdig +dnssec @127.0.0.1 -p RESOLVERPORT NAME TYPE}; fails if no reply came (a
     * SERVFAIL is a reply).
     */
    Dig resolve(String name, String type) throws IOException, InterruptedException {
        return replied(dig(kdig, unbound.port(), true, QUERY_TIMEOUT_SECONDS, name, type));
    }

    /** Asks Knot directly, without recursion ({@code kdig +dnssec +norec}); fails if no reply came. */
    Dig queryAuthoritative(String name, String type) throws IOException, InterruptedException {
        return replied(dig(kdig, knot.port(), false, QUERY_TIMEOUT_SECONDS, name, type));
    }

    /**
     * Checks the harness through Unbound: the SOA of {@value #SIGNED} is NOERROR with AD, that of {@value #PLAIN}
     * NOERROR without AD, that of {@value #BOGUS} SERVFAIL. Fails with the replies and Unbound's log otherwise.
     */
    void check() throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        expect(failures, resolve(SIGNED, "SOA"), "NOERROR", true);
        expect(failures, resolve(PLAIN, "SOA"), "NOERROR", false);
        expect(failures, resolve(BOGUS, "SOA"), "SERVFAIL", false);
        if (!failures.isEmpty()) {
            throw new AssertionError("the DNS harness does not validate as designed: " + this + "\n"
                    + String.join("\n", failures) + "\n--- unbound log\n" + unboundLog());
        }
    }

    private static void expect(List<String> failures, Dig dig, String status, boolean authenticated) {
        if (!dig.status().equals(status) || dig.authenticated() != authenticated) {
            failures.add("expected " + status + (authenticated ? " with" : " without") + " AD:\n" + dig);
        }
    }

    /**
     * The owner name RFC 8162 section 3 gives the SMIMEA records of {@code address}: the SHA-256 of the local-part
     * (UTF-8, as written) truncated to 28 octets in hex, then {@code _smimecert}, then the domain; absolute.
     */
    static String smimeaOwner(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("not local-part@domain: " + address);
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256")
                    .digest(address.substring(0, at).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String domain = address.substring(at + 1);
        return HexFormat.of().formatHex(hash, 0, 28) + "._smimecert." + domain + (domain.endsWith(".") ? "" : ".");
    }

    /**
     * A zone file line that publishes {@code certificate} (DER) for {@code address}: usage 3 (DANE-EE), selector 0
     * (the full certificate), matching type 0 (the data itself).
     */
    static String smimeaRecord(String address, byte[] certificate) {
        return smimeaOwner(address) + " " + TTL + " IN SMIMEA 3 0 0 " + HexFormat.of().formatHex(certificate);
    }

    /**
     * Stops Unbound and then Knot with SIGTERM and waits for each; kills one that is still running after a bound,
     * and then fails.
     */
    @Override
    public void close() throws InterruptedException {
        if (!stop.claim()) {
            return;
        }
        boolean unboundStopped = unbound.stop();
        boolean knotStopped = knot.stop();
        if (!unboundStopped || !knotStopped) {
            throw new AssertionError((unboundStopped ? "knotd" : knotStopped ? "unbound" : "unbound and knotd")
                    + " did not stop within " + ServerProcess.STOP_TIMEOUT + " of SIGTERM and was killed\n"
                    + "--- unbound log\n" + unboundLog() + "\n--- knotd log\n" + knotLog());
        }
    }

    /**
     * Whether Knot serves all three zones authoritatively and both signed zones are signed already: their DNSKEY
     * set comes with its RRSIG. Knot answers before it has loaded and signed its zones (SERVFAIL meanwhile).
     */
    private static boolean knotServes(Path kdig, int port) throws IOException, InterruptedException {
        for (String zone : List.of(SIGNED, BOGUS)) {
            Dig keys = dig(kdig, port, false, PROBE_TIMEOUT_SECONDS, zone, "DNSKEY");
            if (!authoritative(keys) || keys.rdata("DNSKEY").isEmpty() || keys.rdata("RRSIG").isEmpty()) {
                return false;
            }
        }
        return authoritative(dig(kdig, port, false, PROBE_TIMEOUT_SECONDS, PLAIN, "SOA"));
    }

    private static boolean authoritative(Dig dig) {
        return dig.status().equals("NOERROR") && dig.flags().contains("aa");
    }

    /** Runs {@code kdig +dnssec} (with {@code +norec} unless {@code recursive}) against {@value #HOST}@port. */
    private static Dig dig(Path kdig, int port, boolean recursive, int timeoutSeconds, String name, String type)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kdig.toString(), "+dnssec"));
        if (!recursive) {
            command.add("+norec");
        }
        command.addAll(List.of("+timeout=" + timeoutSeconds, "+retry=0", "@" + HOST, "-p", Integer.toString(port),
                name, type));
        ExternalCommand.Result result = ExternalCommand.run(COMMAND_TIMEOUT, command);
        return new Dig(result.command(), result.exitCode(), result.output());
    }

    private static Dig replied(Dig dig) {
        if (!dig.replied()) {
            throw new AssertionError("no reply: " + dig);
        }
        return dig;
    }

    /** The DS (SHA-256) of the zone's signing key, from {@code keymgr -c CONFIG ZONE ds}. */
    private static String dsSha256(Path keymgr, Path knotConfig, String zone)
            throws IOException, InterruptedException {
        List<String> command = List.of(keymgr.toString(), "-c", knotConfig.toString(), zone, "ds");
        ExternalCommand.Result result = ExternalCommand.run(COMMAND_TIMEOUT, command);
        Matcher ds = DS_SHA256.matcher(result.output());
        if (result.exitCode() != 0 || !ds.find() || !ds.group(1).equals(zone)) {
            throw new AssertionError(String.join(" ", command) + " exited with " + result.exitCode()
                    + " and printed no SHA-256 DS of an algorithm 13 key for " + zone + ":\n" + result.output());
        }
        return ds.group();
    }

    /** The same DS with every hex digit of the digest inverted: well-formed, right key tag, wrong digest. */
    private static String withWrongDigest(String ds) {
        Matcher matcher = DS_SHA256.matcher(ds);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(ds);
        }
        StringBuilder digest = new StringBuilder();
        for (char digit : matcher.group(3).toCharArray()) {
            digest.append(Character.forDigit(15 - Character.digit(digit, 16), 16));
        }
        return matcher.group(1) + " DS " + matcher.group(2) + " 13 2 " + digest;
    }

    private static Path zoneFile(Path dir, String zone) {
        return dir.resolve("zones").resolve(zone + "zone");
    }

    @Override
    public String toString() {
        return "Knot on " + HOST + "@" + knot.port() + " and Unbound on " + HOST + "@" + unbound.port() + " in "
                + dir;
    }
}
