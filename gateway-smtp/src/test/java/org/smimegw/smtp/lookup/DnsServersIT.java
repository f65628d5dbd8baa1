package org.smimegw.smtp.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.TestPki;

/**
 * Proves the DNS harness with the real kdig: Unbound validates the SMIMEA record Knot serves from its signed zone
 * (AD), passes the unsigned zone's on as insecure (NOERROR, no AD) and refuses the zone whose trust anchor is wrong
 * (SERVFAIL), although Knot signs that zone just as well. The DANE SMIMEA lookup's tests reuse {@link DnsServers}.
 */
@Timeout(120)
class DnsServersIT {
    private static final String ALICE = "alice@signed.test";
    private static final String BOB = "bob@plain.test";
    private static final String MALLORY = "mallory@bogus.test";

    @TempDir
    Path dir;

    @Test
    void unboundValidatesTheSignedZoneTreatsThePlainOneAsInsecureAndRefusesTheBogusOne() throws Exception {
        // RFC 8162 section 3: SHA-256 of "alice" truncated to 28 octets
        assertEquals("2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db._smimecert.signed.test.",
                DnsServers.smimeaOwner(ALICE));
        byte[] alice = TestPki.client(ALICE).build().certificate().getEncoded();
        byte[] bob = TestPki.client(BOB).build().certificate().getEncoded();
        byte[] mallory = TestPki.client(MALLORY).build().certificate().getEncoded();

        DnsServers dns = DnsServers.builder(dir)
                .signed(DnsServers.smimeaRecord(ALICE, alice))
                .plain(DnsServers.smimeaRecord(BOB, bob))
                .bogus(DnsServers.smimeaRecord(MALLORY, mallory))
                .start();
        List<ProcessHandle> processes = dns.processes();
        try (dns) {
            dns.check();

            Dig signed = dns.resolve(DnsServers.smimeaOwner(ALICE), "SMIMEA");
            assertEquals("NOERROR", signed.status(), signed::toString);
            assertTrue(signed.authenticated(), () -> "no AD flag for the signed zone: " + signed
                    + "\n--- unbound log\n" + dns.unboundLog());
            assertEquals(List.of(smimea(alice)), normalized(signed.rdata("SMIMEA")), signed::toString);
            assertFalse(signed.rdata("RRSIG").isEmpty(), signed::toString);

            Dig plain = dns.resolve(DnsServers.smimeaOwner(BOB), "SMIMEA");
            assertEquals("NOERROR", plain.status(), plain::toString);
            assertFalse(plain.authenticated(), () -> "AD flag for the unsigned zone: " + plain);
            assertEquals(List.of(smimea(bob)), normalized(plain.rdata("SMIMEA")), plain::toString);

            Dig bogus = dns.resolve(DnsServers.smimeaOwner(MALLORY), "SMIMEA");
            assertEquals("SERVFAIL", bogus.status(), () -> bogus + "\n--- unbound log\n" + dns.unboundLog());
            assertEquals(List.of(), bogus.answer(), bogus::toString);
            assertTrue(dns.unboundLog().contains("validation failure <" + DnsServers.smimeaOwner(MALLORY)
                    + " SMIMEA IN>"), dns::unboundLog);

            // Knot serves the bogus zone signed, like the signed one: only Unbound's wrong anchor makes it bogus
            Dig bogusAtKnot = dns.queryAuthoritative(DnsServers.smimeaOwner(MALLORY), "SMIMEA");
            assertEquals("NOERROR", bogusAtKnot.status(), bogusAtKnot::toString);
            assertTrue(bogusAtKnot.flags().contains("aa"), bogusAtKnot::toString);
            assertEquals(List.of(smimea(mallory)), normalized(bogusAtKnot.rdata("SMIMEA")), bogusAtKnot::toString);
            assertFalse(bogusAtKnot.rdata("RRSIG").isEmpty(), bogusAtKnot::toString);
            Dig plainAtKnot = dns.queryAuthoritative(DnsServers.smimeaOwner(BOB), "SMIMEA");
            assertEquals(List.of(), plainAtKnot.rdata("RRSIG"), plainAtKnot::toString);
        }
        assertTrue(processes.stream().noneMatch(ProcessHandle::isAlive), "knotd or unbound still running after close");
    }

    /** The rdata usage 3, selector 0, matching type 0 with the certificate, as {@link #normalized} writes it. */
    private static String smimea(byte[] certificate) {
        return "3 0 0 " + HexFormat.of().formatHex(certificate);
    }

    /** SMIMEA rdata with the hex data in lower case and in one piece (kdig may split it into words). */
    private static List<String> normalized(List<String> rdata) {
        return rdata.stream().map(text -> {
            String[] fields = text.trim().split("\\s+", 4);
            return fields.length < 4 ? text
                    : fields[0] + " " + fields[1] + " " + fields[2] + " "
                            + fields[3].replaceAll("\\s+", "").toLowerCase();
        }).collect(Collectors.toList());
    }
}
