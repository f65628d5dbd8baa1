package org.smimegw.core.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.RevocationPki;
import org.smimegw.core.testing.InMemoryRevocationStore;
import org.smimegw.core.testing.TestPki;

/** Statuses from stored CRLs and OCSP answers, and what is judged without any network answer. */
class RevocationCheckTest {
    static final TestPki.Issued CA = TestPki.ca("Check Test CA");
    static final TestPki.Issued ALICE = TestPki.client("alice@example.org").issuedBy(CA).build();
    static final TestPki.Issued BOB = TestPki.client("bob@example.org").issuedBy(CA).build();
    static final Instant REVOKED_AT = TestPki.NOW.minus(Duration.ofDays(2));

    final InMemoryRevocationStore store = new InMemoryRevocationStore();
    /** Sources named by certificates in these tests point here; nothing may ever be asked. */
    final TestHttpServer server = new TestHttpServer();

    @AfterEach
    void noRequests() {
        server.close();
        assertEquals(0, server.requests());
    }

    private RevocationChecker checker(RevocationSettings settings) {
        return new RevocationChecker(store, settings, Clock.fixed(TestPki.NOW, ZoneOffset.UTC));
    }

    private RevocationCheck check() {
        return checker(RevocationSettings.DEFAULTS).begin(TestPki.NOW);
    }

    private void importCrl(RevocationPki.Crl crl, Instant at) throws CrlRejected {
        store.saveCrl(CrlVerifier.verify(crl.der(), "imported", List.of(CA.certificate()), at,
                RevocationSettings.DEFAULT_MAX_CRL_BYTES));
    }

    private String unknown(RevocationCheck check, TestPki.Issued certificate, TestPki.Issued issuer) {
        return assertInstanceOf(RevocationStatus.Unknown.class,
                check.status(certificate.certificate(), issuer == null ? null : issuer.certificate())).why();
    }

    @Test
    void importedCrlSaysGoodForUnlistedAndRevokedForListedCertificates() throws Exception {
        importCrl(RevocationPki.crl(CA).revoke(BOB.certificate(), REVOKED_AT), TestPki.NOW);
        RevocationCheck check = check();
        assertEquals(new RevocationStatus.Good("CRL of CN=Check Test CA (imported)"),
                check.status(ALICE.certificate(), CA.certificate()));
        RevocationStatus bob = check.status(BOB.certificate(), CA.certificate());
        assertEquals(new RevocationStatus.Revoked(REVOKED_AT, "CRL of CN=Check Test CA (imported)"), bob);
        assertEquals("revoked on " + RevocationStatus.DAY.format(REVOKED_AT),
                ((RevocationStatus.Revoked) bob).phrase());
        assertTrue(check.notes().isEmpty());
    }

    @Test
    void revocationDatedAfterTheInstantJudgedDoesNotCountYet() throws Exception {
        importCrl(RevocationPki.crl(CA).revoke(BOB.certificate(), TestPki.NOW.plusSeconds(3600)), TestPki.NOW);
        assertInstanceOf(RevocationStatus.Good.class, check().status(BOB.certificate(), CA.certificate()));
        assertInstanceOf(RevocationStatus.Revoked.class, checker(RevocationSettings.DEFAULTS)
                .begin(TestPki.NOW.plusSeconds(7200)).status(BOB.certificate(), CA.certificate()));
    }

    @Test
    void expiredStoredCrlGivesUnknownNotGoodAndANote() throws Exception {
        Instant nextUpdate = TestPki.NOW.minusSeconds(60);
        importCrl(RevocationPki.crl(CA).updates(TestPki.NOW.minus(Duration.ofDays(8)), nextUpdate),
                TestPki.NOW.minus(Duration.ofDays(7)));
        RevocationCheck check = check();
        assertEquals("the stored CRL of CN=Check Test CA expired on " + nextUpdate, unknown(check, ALICE, CA));
        unknown(check, ALICE, CA);
        assertEquals(List.of("no revocation status for CN=alice@example.org (serial "
                + ALICE.certificate().getSerialNumber().toString(16)
                + "): the stored CRL of CN=Check Test CA expired on " + nextUpdate), check.notes());
    }

    @Test
    void crlIssuedAfterTheInstantJudgedDoesNotCount() throws Exception {
        importCrl(RevocationPki.crl(CA).updates(TestPki.NOW, TestPki.NOW.plus(Duration.ofDays(7))), TestPki.NOW);
        Instant earlier = TestPki.NOW.minus(Duration.ofDays(1));
        assertEquals("the stored CRL of CN=Check Test CA was issued on " + TestPki.NOW
                + ", after the instant judged (" + earlier + ")",
                unknown(checker(RevocationSettings.DEFAULTS).begin(earlier), ALICE, CA));
    }

    @Test
    void certificateWithoutSourcesAndWithoutStoredCrlHasNoSource() {
        assertEquals(new RevocationStatus.NoSource(), check().status(ALICE.certificate(), CA.certificate()));
        assertEquals(new RevocationStatus.NoSource(), check().status(ALICE.certificate(), null));
        assertTrue(check().notes().isEmpty());
    }

    @Test
    void offModeDoesNotLookEvenAtARevokedCertificate() throws Exception {
        importCrl(RevocationPki.crl(CA).revoke(BOB.certificate(), REVOKED_AT), TestPki.NOW);
        RevocationChecker off = checker(RevocationSettings.OFF);
        assertEquals(new RevocationStatus.NotChecked(), off.begin(TestPki.NOW).status(BOB.certificate(),
                CA.certificate()));
        assertEquals(RevocationSettings.OFF, off.settings());
    }

    @Test
    void hardModeBlocksUnknownAndSoftModeDoesNot() throws Exception {
        TestPki.Issued named = RevocationPki.client(CA, "carol@example.org", null, server.url("/ca.crl"));
        RevocationStatus status = checker(RevocationSettings.DEFAULTS).stored(TestPki.NOW)
                .status(named.certificate(), CA.certificate());
        assertTrue(status.blocks(RevocationMode.HARD));
        assertFalse(status.blocks(RevocationMode.SOFT));
    }

    @Test
    void storedOcspAnswerDecidesBeforeAnyCrl() throws Exception {
        TestPki.Issued named = RevocationPki.client(CA, "dave@example.org", "http://ocsp.example/", null);
        importCrl(RevocationPki.crl(CA), TestPki.NOW);
        store.saveOcsp(new OcspAnswer(Fingerprints.sha256(named.certificate()), true, REVOKED_AT,
                TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(3600), "http://ocsp.example/", new byte[0]));
        assertEquals(new RevocationStatus.Revoked(REVOKED_AT, "OCSP responder http://ocsp.example/"),
                check().status(named.certificate(), null));
    }

    @Test
    void aStoredOcspAnswerIsNotLookedForWhenTheCertificateNamesNoResponder() throws Exception {
        store.saveOcsp(new OcspAnswer(Fingerprints.sha256(ALICE.certificate()), true, REVOKED_AT,
                TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(3600), "http://ocsp.example/", new byte[0]));
        assertEquals(new RevocationStatus.NoSource(), check().status(ALICE.certificate(), null),
                "answers are saved only from the responders a certificate names");
    }

    @Test
    void expiredStoredOcspAnswerIsNotUsed() throws Exception {
        TestPki.Issued named = RevocationPki.client(CA, "dave@example.org", "http://ocsp.example/", null);
        importCrl(RevocationPki.crl(CA), TestPki.NOW);
        store.saveOcsp(new OcspAnswer(Fingerprints.sha256(named.certificate()), true, REVOKED_AT,
                TestPki.NOW.minusSeconds(7200), TestPki.NOW.minusSeconds(3600), "http://ocsp.example/", new byte[0]));
        assertEquals(new RevocationStatus.Good("CRL of CN=Check Test CA (imported)"),
                checker(RevocationSettings.DEFAULTS).stored(TestPki.NOW).status(named.certificate(), CA.certificate()));
    }

    @Test
    void unknownIssuerOfACertificateWithSourcesGivesUnknown() {
        TestPki.Issued named = RevocationPki.client(CA, "carol@example.org", server.url("/ocsp"), null);
        RevocationCheck check = check();
        assertEquals("issuer certificate not stored", unknown(check, named, null));
        assertEquals(1, check.notes().size());
    }

    @Test
    void listingsUseStoredAnswersOnly() {
        TestPki.Issued named = RevocationPki.client(CA, "carol@example.org", server.url("/ocsp"),
                server.url("/ca.crl"));
        assertEquals("its http:// sources were not asked: a listing uses stored answers only",
                unknown(checker(RevocationSettings.DEFAULTS).stored(TestPki.NOW), named, CA));
    }

    @Test
    void fetchingOffAsksNothing() {
        TestPki.Issued named = RevocationPki.client(CA, "carol@example.org", server.url("/ocsp"),
                server.url("/ca.crl"));
        RevocationSettings noFetch = new RevocationSettings(RevocationMode.HARD, false, Duration.ofSeconds(5),
                RevocationSettings.DEFAULT_MAX_CRL_BYTES);
        assertEquals("its http:// sources were not asked: revocation.fetch is off",
                unknown(checker(noFetch).begin(TestPki.NOW), named, CA));
    }

    @Test
    void onlyNonHttpSourcesGiveUnknown() {
        TestPki.Issued ldap = RevocationPki.client(CA, "carol@example.org", null,
                "ldap://directory.example/cn=CA?certificateRevocationList");
        assertEquals("only http:// is fetched, and it names ldap://directory.example/cn=CA?certificateRevocationList",
                unknown(check(), ldap, CA));
    }

    @Test
    void storedCrlOfAnotherPartitionDoesNotMakeTheCertificateGood() throws Exception {
        TestPki.Issued inPartB = RevocationPki.client(CA, "carol@example.org", null, "ldap://directory.example/b");
        IssuingDistributionPoint partA = new IssuingDistributionPoint(new DistributionPointName(
                new GeneralNames(RevocationPki.uri("http://crl.example/a.crl"))), true, false, null, false, false);
        importCrl(RevocationPki.crl(CA).extension(new Extension(Extension.issuingDistributionPoint, true,
                partA.getEncoded())), TestPki.NOW);
        assertEquals("the stored CRL of CN=Check Test CA does not cover it: it is the CRL of a distribution point the"
                + " certificate does not name; only http:// is fetched, and it names ldap://directory.example/b",
                unknown(check(), inPartB, CA));
    }
}
