package org.smimegw.core.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.RevocationPki;
import org.smimegw.core.testing.InMemoryRevocationStore;
import org.smimegw.core.testing.MutableClock;
import org.smimegw.core.testing.TestPki;

/** CRLs fetched from distribution points served by a local HTTP server that counts requests. */
class CrlFetchTest {
    static final TestPki.Issued CA = TestPki.ca("CDP Test CA");
    static final Instant REVOKED_AT = TestPki.NOW.minus(Duration.ofDays(1));

    final TestHttpServer server = new TestHttpServer();
    final InMemoryRevocationStore store = new InMemoryRevocationStore();
    final MutableClock clock = new MutableClock(TestPki.NOW);
    final String crlUrl = server.url("/ca.crl");
    final TestPki.Issued alice = RevocationPki.client(CA, "alice@example.org", null, crlUrl);
    final TestPki.Issued bob = RevocationPki.client(CA, "bob@example.org", null, crlUrl);
    final String source = "CRL of CN=CDP Test CA (" + crlUrl + ")";
    final RevocationChecker checker = checker(RevocationSettings.DEFAULT_MAX_CRL_BYTES);

    @AfterEach
    void stop() {
        server.close();
    }

    private RevocationChecker checker(long maxCrlBytes) {
        return new RevocationChecker(store, new RevocationSettings(RevocationMode.SOFT, true, Duration.ofSeconds(5),
                maxCrlBytes), clock);
    }

    private RevocationStatus status(TestPki.Issued certificate) {
        return checker.begin(TestPki.NOW).status(certificate.certificate(), CA.certificate());
    }

    private String unknown(TestPki.Issued certificate) {
        return assertInstanceOf(RevocationStatus.Unknown.class, status(certificate)).why();
    }

    @Test
    void fetchedCrlGivesGoodAndRevokedAndIsStoredForTheNextMessages() {
        server.answer("/ca.crl", RevocationPki.crl(CA).revoke(bob.certificate(), REVOKED_AT).der());
        RevocationCheck check = checker.begin(TestPki.NOW);
        assertEquals(new RevocationStatus.Good(source), check.status(alice.certificate(), CA.certificate()));
        assertEquals(new RevocationStatus.Revoked(REVOKED_AT, source),
                check.status(bob.certificate(), CA.certificate()));
        assertEquals(1, server.requests("/ca.crl"));
        StoredCrl stored = store.crl(Fingerprints.sha256(CA.certificate())).orElseThrow();
        assertEquals(crlUrl, stored.origin());
        assertEquals(1, stored.entries());

        assertEquals(new RevocationStatus.Revoked(REVOKED_AT, source),
                checker.begin(TestPki.NOW).status(bob.certificate(), CA.certificate()));
        assertEquals(1, server.requests("/ca.crl"));
    }

    @Test
    void expiredCrlFromTheDistributionPointGivesUnknownAndIsRememberedForAMinute() {
        Instant nextUpdate = TestPki.NOW.minusSeconds(3600);
        server.answer("/ca.crl", RevocationPki.crl(CA).updates(TestPki.NOW.minus(Duration.ofDays(7)), nextUpdate)
                .der());
        assertEquals("CRL from " + crlUrl + " refused: expired: its nextUpdate " + nextUpdate + " has passed",
                unknown(alice));
        assertTrue(store.crls().isEmpty());
        assertEquals("CRL distribution point " + crlUrl + " not asked: it failed less than 60s ago (its CRL was"
                + " refused: expired: its nextUpdate " + nextUpdate + " has passed)", unknown(bob));
        assertEquals(1, server.requests("/ca.crl"));

        clock.advance(Duration.ofSeconds(61));
        server.answer("/ca.crl", RevocationPki.crl(CA).der());
        assertEquals(new RevocationStatus.Good(source), status(bob));
        assertEquals(2, server.requests("/ca.crl"));
    }

    @Test
    void forgedCrlFromTheDistributionPointIsRefused() {
        server.answer("/ca.crl", RevocationPki.crl(CA).signedWith(TestPki.freshRsaKeyPair().getPrivate()).der());
        assertEquals("CRL from " + crlUrl + " refused: signature does not verify with the key of the stored CA"
                + " certificate CN=CDP Test CA: signed by another key", unknown(alice));
        assertTrue(store.crls().isEmpty());
    }

    @Test
    void crlLargerThanTheLimitIsNotRead() {
        byte[] crl = RevocationPki.crl(CA).revoke(bob.certificate(), REVOKED_AT).der();
        server.answer("/ca.crl", crl);
        String why = assertInstanceOf(RevocationStatus.Unknown.class, checker(crl.length - 1).begin(TestPki.NOW)
                .status(alice.certificate(), CA.certificate())).why();
        assertEquals("CRL distribution point " + crlUrl + " sent more than " + (crl.length - 1) + " bytes", why);
    }

    @Test
    void missingCrlGivesUnknownWithTheHttpStatus() {
        assertEquals("CRL distribution point " + crlUrl + " answered HTTP 404", unknown(alice));
    }

    @Test
    void redirectToAnotherHostIsNotFollowed() {
        server.redirect("/ca.crl", server.otherHostUrl("/real.crl")).answer("/real.crl", RevocationPki.crl(CA).der());
        assertEquals("CRL distribution point " + crlUrl + " redirect to another host " + server.otherHostUrl(
                "/real.crl") + " not followed", unknown(alice));
        assertEquals(0, server.requests("/real.crl"));
    }

    @Test
    void redirectOnTheSameHostIsFollowed() {
        server.redirect("/ca.crl", server.url("/real.crl")).answer("/real.crl", RevocationPki.crl(CA).der());
        assertEquals(new RevocationStatus.Good(source), status(alice));
    }

    @Test
    void refusedConnectionGivesUnknown() throws Exception {
        String closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = "http://127.0.0.1:" + socket.getLocalPort() + "/ca.crl";
        }
        TestPki.Issued carol = RevocationPki.client(CA, "carol@example.org", null, closed);
        assertEquals("CRL distribution point " + closed + " refused the connection", unknown(carol));
    }
}
