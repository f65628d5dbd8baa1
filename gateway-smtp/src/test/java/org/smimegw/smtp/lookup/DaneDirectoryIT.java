package org.smimegw.smtp.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.outbound.RecipientDiscovery;
import org.smimegw.core.port.RecipientDirectory.LookupFailure;
import org.smimegw.core.testing.InMemoryAuditLog;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.TestPki;

/**
 * docs/design.md §10, DANE, against a real Knot DNS that signs its zone and a real validating Unbound
 * ({@link DnsServers}): only validated answers count, and only records that carry a usable certificate.
 */
class DaneDirectoryIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final TestPki.Issued ALICE = TestPki.client("alice@signed.test").build();
    private static final TestPki.Issued BOB = TestPki.client("bob@plain.test").build();
    private static final TestPki.Issued MALLORY = TestPki.client("mallory@bogus.test").build();
    private static final TestPki.Issued NOT_CAROL = TestPki.client("someone-else@signed.test").build();
    private static final TestPki.Issued CA = TestPki.ca("DANE Test CA");
    private static final TestPki.Issued DAVE = TestPki.client("dave@signed.test").issuedBy(CA).build();
    private static final List<TestPki.Issued> EVE = new ArrayList<>();

    @TempDir
    static Path dir;
    private static DnsServers dns;

    @BeforeAll
    static void start() throws Exception {
        List<String> signed = new ArrayList<>(List.of(
                record("alice@signed.test", 3, 0, 0, der(ALICE)),
                record("carol@signed.test", 3, 0, 0, der(NOT_CAROL)),
                record("dave@signed.test", 1, 0, 0, der(DAVE)),
                record("hash@signed.test", 3, 1, 1, MessageDigest.getInstance("SHA-256")
                        .digest(ALICE.certificate().getPublicKey().getEncoded()))));
        for (int i = 0; i < 20; i++) {
            EVE.add(TestPki.client("eve@signed.test").build());
            signed.add(record("eve@signed.test", 3, 0, 0, der(EVE.get(i))));
        }
        dns = DnsServers.builder(dir).signed(signed.toArray(String[]::new))
                .plain(DnsServers.smimeaRecord("bob@plain.test", der(BOB)))
                .bogus(DnsServers.smimeaRecord("mallory@bogus.test", der(MALLORY))).start();
    }

    @AfterAll
    static void stop() throws Exception {
        dns.close();
    }

    private static byte[] der(TestPki.Issued issued) throws Exception {
        return issued.certificate().getEncoded();
    }

    private static String record(String address, int usage, int selector, int matching, byte[] data) {
        return DnsServers.smimeaOwner(address) + " 300 IN SMIMEA " + usage + " " + selector + " " + matching + " "
                + HexFormat.of().formatHex(data);
    }

    private static DaneDirectory directory(boolean anchored) {
        return new DaneDirectory(new InetSocketAddress("127.0.0.1", dns.resolverPort()), certificate -> anchored);
    }

    private static List<String> fingerprints(List<X509Certificate> certificates) {
        return certificates.stream().map(Fingerprints::sha256).toList();
    }

    @Test
    void theOwnerNameIsRfc8162s() {
        for (String address : List.of("alice@signed.test", "Hugh.Fisher@Example.COM", "x@y.z")) {
            assertEquals(DnsServers.smimeaOwner(address).toLowerCase(), DaneDirectory.owner(address), address);
        }
    }

    @Test
    void aValidatedDaneEeRecordGivesItsCertificate() throws Exception {
        assertEquals(List.of(ALICE.certificate()), directory(false).find("alice@signed.test", TIMEOUT));
        assertEquals(List.of(), directory(false).find("nobody@signed.test", TIMEOUT));
    }

    @Test
    void anInsecureAnswerAndABogusOneDoNotCount() {
        LookupFailure insecure = assertThrows(LookupFailure.class,
                () -> directory(false).find("bob@plain.test", TIMEOUT));
        LookupFailure bogus = assertThrows(LookupFailure.class,
                () -> directory(false).find("mallory@bogus.test", TIMEOUT));

        assertEquals("dns 127.0.0.1:" + dns.resolverPort() + ": the answer for bob@plain.test is not DNSSEC-validated",
                insecure.getMessage());
        assertEquals("dns 127.0.0.1:" + dns.resolverPort() + ": SERVFAIL for mallory@bogus.test (bogus DNSSEC, or the "
                + "zone cannot be reached)", bogus.getMessage());
    }

    @Test
    void aPkixEeRecordCountsOnlyWhenItChainsToAStoredAnchor() throws Exception {
        assertEquals(List.of(), directory(false).find("dave@signed.test", TIMEOUT));
        assertEquals(List.of(DAVE.certificate()), directory(true).find("dave@signed.test", TIMEOUT));
    }

    @Test
    void aRecordThatIsOnlyAHashGivesNoCertificate() throws Exception {
        assertEquals(List.of(), directory(false).find("hash@signed.test", TIMEOUT));
    }

    @Test
    void aCertificateForTheWrongAddressIsNotKept() {
        InMemoryCertificateDirectory store = new InMemoryCertificateDirectory();
        RecipientDiscovery discovery = new RecipientDiscovery(List.of(directory(false)), store,
                new InMemoryAuditLog(), Duration.ofHours(1));

        RecipientDiscovery.Outcome outcome = discovery.discover("carol@signed.test", Instant.now(), TIMEOUT);

        assertEquals(0, outcome.stored());
        assertEquals(List.of("no usable certificate found by lookup", "dane: 1 certificate not usable for "
                + "carol@signed.test"), outcome.notes());
        assertEquals(List.of(), store.all());
    }

    @Test
    void anAnswerTooLargeForUdpComesOverTcpWhole() throws Exception {
        List<X509Certificate> found = directory(false).find("eve@signed.test", TIMEOUT);

        assertEquals(20, found.size());
        assertEquals(fingerprints(EVE.stream().map(TestPki.Issued::certificate).toList()).stream().sorted().toList(),
                fingerprints(found).stream().sorted().toList());
    }

    @Test
    void aResolverThatIsDownIsAFailureWithinTheTimeout() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        DaneDirectory down = new DaneDirectory(new InetSocketAddress("127.0.0.1", closed), certificate -> false);

        long start = System.nanoTime();
        LookupFailure failure = assertThrows(LookupFailure.class,
                () -> down.find("alice@signed.test", Duration.ofSeconds(1)));

        assertTrue(failure.getMessage().startsWith("dns 127.0.0.1:" + closed + ": no answer for alice@signed.test"),
                failure.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) < 0);
    }
}
