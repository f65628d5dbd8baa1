package org.smimegw.smtp.lookup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The zone files and the Knot and Unbound configurations {@link DnsServers} writes. Stateless. */
final class DnsConfigurations {
    private DnsConfigurations() {
    }

    /** SOA, NS and the name server's address, then the test's records. */
    static String zone(String zone, List<String> records) {
        List<String> lines = new ArrayList<>();
        lines.add("$ORIGIN " + zone);
        lines.add("$TTL " + DnsServers.TTL);
        lines.add("@ IN SOA ns hostmaster 1 3600 600 86400 " + DnsServers.TTL);
        lines.add("@ IN NS ns");
        lines.add("ns IN A " + DnsServers.HOST);
        lines.addAll(records);
        return String.join("\n", lines) + "\n";
    }

    /**
     * Knot signs the two signed zones itself when it loads them ({@code dnssec-signing}), with keys it makes on the
     * first load and keeps in its KASP database. {@code difference-no-serial} lets the zone files hold only the
     * unsigned records; Knot keeps the signed zone in its journal and never writes it back
     * ({@code zonefile-sync: -1}).
     */
    static String knot(Path dir, int port) {
        return String.join("\n",
                "server:",
                "    rundir: \"" + dir.resolve("knot") + "\"",
                "    listen: " + DnsServers.HOST + "@" + port,
                "    udp-workers: 1",
                "    tcp-workers: 1",
                "    background-workers: 1",
                "database:",
                "    storage: \"" + dir.resolve("knot/db") + "\"",
                "    kasp-db: \"" + dir.resolve("knot/db/keys") + "\"",
                "log:",
                "  - target: stderr",
                "    any: info",
                "policy:",
                "  - id: test",
                "    algorithm: ecdsap256sha256",
                "    single-type-signing: on",
                "template:",
                "  - id: default",
                "    storage: \"" + dir.resolve("zones") + "\"",
                "    file: \"%s.zone\"",
                "    zonefile-load: difference-no-serial",
                "    zonefile-sync: -1",
                "    journal-content: all",
                "zone:",
                "  - domain: " + DnsServers.SIGNED,
                "    dnssec-signing: on",
                "    dnssec-policy: test",
                "  - domain: " + DnsServers.PLAIN,
                "  - domain: " + DnsServers.BOGUS,
                "    dnssec-signing: on",
                "    dnssec-policy: test",
                "");
    }

    /**
     * Unbound as the current user in the foreground, logging to stderr. Debian's default local zones answer
     * {@code test.} themselves (RFC 6761), hence {@code nodefault}; {@code do-not-query-localhost: no} lets the stub
     * zones point at Knot on loopback. {@code so-reuseport: no}: a port taken by another process fails the bind.
     */
    static String unbound(Path dir, int port, int knotPort, String signedAnchor,
            String bogusAnchor) {
        List<String> lines = new ArrayList<>(List.of(
                "server:",
                "    interface: " + DnsServers.HOST,
                "    port: " + port,
                "    do-ip6: no",
                "    so-reuseport: no",
                "    num-threads: 1",
                "    access-control: 127.0.0.0/8 allow",
                "    do-daemonize: no",
                "    username: \"\"",
                "    chroot: \"\"",
                "    directory: \"" + dir.resolve("unbound") + "\"",
                "    pidfile: \"" + dir.resolve("unbound/unbound.pid") + "\"",
                "    use-syslog: no",
                "    logfile: \"\"",
                "    log-time-ascii: yes",
                "    verbosity: 1",
                "    val-log-level: 2",
                "    log-servfail: yes",
                "    module-config: \"validator iterator\"",
                "    harden-dnssec-stripped: yes",
                "    trust-anchor-signaling: no",
                "    do-not-query-localhost: no",
                "    local-zone: \"test.\" nodefault",
                "    trust-anchor: \"" + signedAnchor + "\"",
                "    trust-anchor: \"" + bogusAnchor + "\"",
                "remote-control:",
                "    control-enable: no"));
        for (String zone : List.of(DnsServers.SIGNED, DnsServers.PLAIN, DnsServers.BOGUS)) {
            lines.add("stub-zone:");
            lines.add("    name: \"" + zone + "\"");
            lines.add("    stub-addr: " + DnsServers.HOST + "@" + knotPort);
        }
        lines.add("");
        return String.join("\n", lines);
    }
}
