package org.smimegw.core.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.RevocationPki;
import org.smimegw.core.testing.InMemoryRevocationStore;
import org.smimegw.core.testing.MutableClock;
import org.smimegw.core.testing.TestPki;

/** OCSP over HTTP: responses made in the test, served by a local HTTP server that counts requests. */
class OcspFetchTest {
    static final TestPki.Issued CA = TestPki.ca("OCSP Test CA");
    static final Duration TIMEOUT = Duration.ofMillis(300);

    final TestHttpServer server = new TestHttpServer();
    final InMemoryRevocationStore store = new InMemoryRevocationStore();
    final MutableClock clock = new MutableClock(TestPki.NOW);
    final RevocationChecker checker = new RevocationChecker(store, new RevocationSettings(RevocationMode.SOFT, true,
            TIMEOUT, RevocationSettings.DEFAULT_MAX_CRL_BYTES), clock);
    final String ocspUrl = server.url("/ocsp");
    final TestPki.Issued alice = RevocationPki.client(CA, "alice@example.org", ocspUrl, null);

    @AfterEach
    void stop() {
        server.close();
    }

    private RevocationStatus status(TestPki.Issued certificate) {
        return checker.begin(TestPki.NOW).status(certificate.certificate(), CA.certificate());
    }

    private String unknown(TestPki.Issued certificate) {
        return assertInstanceOf(RevocationStatus.Unknown.class, status(certificate)).why();
    }

    @Test
    void goodAnswerIsUsedSavedAndThenTakenFromTheStoreWithoutAsking() throws Exception {
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).der());
        assertEquals(new RevocationStatus.Good("OCSP responder " + ocspUrl), status(alice));
        assertEquals(1, server.requests("/ocsp"));
        assertEquals("application/ocsp-request", server.lastContentType("/ocsp"));
        OCSPReq request = new OCSPReq(server.lastBody("/ocsp"));
        assertEquals(alice.certificate().getSerialNumber(), request.getRequestList()[0].getCertID().getSerialNumber());
        OcspAnswer saved = store.ocsp(Fingerprints.sha256(alice.certificate())).orElseThrow();
        assertEquals(TestPki.NOW.plusSeconds(86400), saved.nextUpdate());
        assertEquals(ocspUrl, saved.responder());

        assertEquals(new RevocationStatus.Good("OCSP responder " + ocspUrl), status(alice));
        assertEquals(1, server.requests("/ocsp"));
    }

    @Test
    void revokedAnswerGivesRevokedWithItsDate() {
        Instant revokedAt = TestPki.NOW.minus(Duration.ofDays(3));
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).revoked(revokedAt).der());
        assertEquals(new RevocationStatus.Revoked(revokedAt, "OCSP responder " + ocspUrl), status(alice));
    }

    @Test
    void unknownCertStatusGivesUnknown() {
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).unknown().der());
        assertEquals("OCSP responder " + ocspUrl + " does not know the certificate (status unknown)", unknown(alice));
    }

    @Test
    void tryLaterGivesUnknownNamingTheResponder() {
        server.answer("/ocsp", RevocationPki.Ocsp.status(OCSPRespBuilder.TRY_LATER));
        assertEquals("OCSP responder " + ocspUrl + " answered tryLater", unknown(alice));
    }

    @Test
    void garbageGivesUnknown() {
        server.answer("/ocsp", "<html>hello</html>".getBytes());
        assertEquals("OCSP responder " + ocspUrl + " sent something that is not an OCSP response", unknown(alice));
    }

    @Test
    void answerSignedByAnUnrelatedKeyGivesUnknown() {
        TestPki.Issued stranger = RevocationPki.responder(TestPki.ca("Stranger CA"), true);
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).signedBy(stranger).der());
        assertEquals("OCSP responder " + ocspUrl + " sent a response signed by a key that is neither the CA's nor a"
                + " delegated responder's", unknown(alice));
    }

    @Test
    void answerAboutAnotherSerialGivesUnknown() {
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).aboutSerial(BigInteger.valueOf(424242)).der());
        assertEquals("OCSP responder " + ocspUrl + " sent a response for another certificate", unknown(alice));
    }

    @Test
    void delegatedResponderWithOcspSigningIsAccepted() {
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).signedBy(RevocationPki.responder(CA, true)).der());
        assertEquals(new RevocationStatus.Good("OCSP responder " + ocspUrl), status(alice));
    }

    @Test
    void delegatedResponderWithoutOcspSigningIsRefused() {
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).signedBy(RevocationPki.responder(CA, false)).der());
        assertEquals("OCSP responder " + ocspUrl + " sent a response signed by CN=Responder without EKU, which the CA"
                + " issued without Extended Key Usage id-kp-OCSPSigning", unknown(alice));
    }

    @Test
    void delegatedResponderThatHasExpiredIsRefused() {
        TestPki.Issued expired = TestPki.certificate().subject("Old Responder", null)
                .eku(KeyPurposeId.id_kp_OCSPSigning)
                .valid(TestPki.NOW.minus(Duration.ofDays(30)), TestPki.NOW.minus(Duration.ofDays(1))).issuedBy(CA)
                .build();
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).signedBy(expired).der());
        assertTrue(unknown(alice).endsWith("sent a response signed by the responder certificate CN=Old Responder,"
                + " which is not valid at " + TestPki.NOW));
    }

    @Test
    void staleAnswerGivesUnknownAndAnswerFromTheFutureBeyondTheSkewToo() {
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).updates(TestPki.NOW.minusSeconds(7200),
                TestPki.NOW.minusSeconds(3600)).der());
        assertEquals("OCSP responder " + ocspUrl + " sent a response that expired on " + TestPki.NOW.minusSeconds(3600),
                unknown(alice));
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).updates(TestPki.NOW.plusSeconds(600),
                TestPki.NOW.plusSeconds(3600)).der());
        assertTrue(unknown(alice).endsWith("sent a response that was issued on " + TestPki.NOW.plusSeconds(600)
                + ", after the instant judged (" + TestPki.NOW + ")"));
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).updates(TestPki.NOW.plusSeconds(120),
                TestPki.NOW.plusSeconds(3600)).der());
        assertInstanceOf(RevocationStatus.Good.class, status(alice));
    }

    @Test
    void answerWithoutNextUpdateCountsForThisCheckOnlyAndIsNotSaved() {
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).updates(TestPki.NOW.minusSeconds(10), null).der());
        assertInstanceOf(RevocationStatus.Good.class, status(alice));
        assertTrue(store.ocsp(Fingerprints.sha256(alice.certificate())).isEmpty());
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).updates(TestPki.NOW.minusSeconds(3600), null).der());
        assertTrue(unknown(alice).contains("sent a response without nextUpdate issued on "));
    }

    @Test
    void answerLargerThan64KibIsNotRead() {
        server.answer("/ocsp", new byte[64 * 1024 + 1]);
        assertEquals("OCSP responder " + ocspUrl + " sent more than 65536 bytes", unknown(alice));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void responderThatNeverAnswersGivesUnknownWithinTheTimeout() throws Exception {
        server.hang("/ocsp");
        assertEquals("OCSP responder " + ocspUrl + " did not answer within 300ms", unknown(alice));
        assertTrue(server.hung.await(10, TimeUnit.SECONDS));
    }

    @Test
    void failedResponderIsNotAskedAgainForAMinute() {
        server.answer("/ocsp", new TestHttpServer.Answer(503, null, new byte[0], () -> { }));
        assertEquals("OCSP responder " + ocspUrl + " answered HTTP 503", unknown(alice));
        TestPki.Issued bob = RevocationPki.client(CA, "bob@example.org", ocspUrl, null);
        assertEquals("OCSP responder " + ocspUrl + " not asked: it failed less than 60s ago (answered HTTP 503)",
                unknown(bob));
        assertEquals(1, server.requests("/ocsp"));
        clock.advance(Duration.ofSeconds(61));
        server.answer("/ocsp", RevocationPki.ocsp(bob, CA).updates(TestPki.NOW, TestPki.NOW.plusSeconds(86400)).der());
        assertInstanceOf(RevocationStatus.Good.class, status(bob));
        assertEquals(2, server.requests("/ocsp"));
    }

    @Test
    void verificationFailureIsNotRememberedAgainstTheResponder() {
        server.answer("/ocsp", RevocationPki.ocsp(alice, CA).aboutSerial(BigInteger.TEN).der());
        unknown(alice);
        TestPki.Issued bob = RevocationPki.client(CA, "bob@example.org", ocspUrl, null);
        server.answer("/ocsp", RevocationPki.ocsp(bob, CA).der());
        assertInstanceOf(RevocationStatus.Good.class, status(bob));
        assertEquals(2, server.requests("/ocsp"));
    }

    @Test
    void redirectOnTheSameHostIsFollowedAndToAnotherHostIsNot() {
        server.redirect("/ocsp", "/ocsp-moved").answer("/ocsp-moved", RevocationPki.ocsp(alice, CA).der());
        assertEquals(new RevocationStatus.Good("OCSP responder " + ocspUrl), status(alice));
        assertEquals(1, server.requests("/ocsp-moved"));

        String elsewhere = server.url("/elsewhere");
        TestPki.Issued bob = RevocationPki.client(CA, "bob@example.org", elsewhere, null);
        server.redirect("/elsewhere", server.otherHostUrl("/ocsp-moved"));
        assertEquals("OCSP responder " + elsewhere + " redirect to another host " + server.otherHostUrl("/ocsp-moved")
                + " not followed", unknown(bob));
        assertEquals(1, server.requests("/ocsp-moved"));
    }

    @Test
    void redirectLoopStopsAfterThreeRedirects() {
        server.redirect("/ocsp", "/ocsp");
        assertEquals("OCSP responder " + ocspUrl + " redirected more than 3 times", unknown(alice));
        assertEquals(4, server.requests("/ocsp"));
    }

    @Test
    void allFetchesOfOneMessageShareOneDeadline() {
        String crlUrl = server.url("/ca.crl");
        TestPki.Issued both = RevocationPki.client(CA, "carol@example.org", ocspUrl, crlUrl);
        server.answer("/ocsp", new TestHttpServer.Answer(503, null, new byte[0], () -> clock.advance(TIMEOUT)));
        server.answer("/ca.crl", RevocationPki.crl(CA).der());
        assertEquals("OCSP responder " + ocspUrl + " answered HTTP 503; CRL distribution point " + crlUrl
                + " not asked: this message's time for revocation checks (revocation.timeout) was used up",
                unknown(both));
        assertEquals(0, server.requests("/ca.crl"));
    }

    @Test
    void crlDistributionPointIsAskedWhenTheResponderFails() {
        String crlUrl = server.url("/ca.crl");
        TestPki.Issued both = RevocationPki.client(CA, "carol@example.org", ocspUrl, crlUrl);
        server.answer("/ocsp", RevocationPki.Ocsp.status(OCSPRespBuilder.INTERNAL_ERROR));
        server.answer("/ca.crl", RevocationPki.crl(CA).der());
        assertEquals(new RevocationStatus.Good("CRL of CN=OCSP Test CA (" + crlUrl + ")"), status(both));
    }
}
