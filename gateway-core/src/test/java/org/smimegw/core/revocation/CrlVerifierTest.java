package org.smimegw.core.revocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.RevocationPki;
import org.smimegw.core.testing.TestPki;

class CrlVerifierTest {
    static final TestPki.Issued CA = TestPki.ca("CRL Test CA");
    static final TestPki.Issued ALICE = TestPki.client("alice@example.org").issuedBy(CA).build();
    static final long MAX = RevocationSettings.DEFAULT_MAX_CRL_BYTES;

    private static StoredCrl verify(byte[] crl, List<X509Certificate> cas) throws CrlRejected {
        return CrlVerifier.verify(crl, "imported", cas, TestPki.NOW, MAX);
    }

    private static String rejection(byte[] crl, List<X509Certificate> cas) {
        return assertThrows(CrlRejected.class, () -> verify(crl, cas)).getMessage();
    }

    private static String rejection(byte[] crl) {
        return rejection(crl, List.of(CA.certificate()));
    }

    @Test
    void acceptsDerCrlSignedByTheStoredCaAndDescribesIt() throws Exception {
        Instant revokedAt = TestPki.NOW.minusSeconds(86400);
        RevocationPki.Crl builder = RevocationPki.crl(CA).revoke(ALICE.certificate(), revokedAt)
                .updates(TestPki.NOW.minusSeconds(3600), TestPki.NOW.plusSeconds(86400));
        StoredCrl crl = verify(builder.der(), List.of(TestPki.ca("Unrelated CA").certificate(), CA.certificate()));
        assertEquals(Fingerprints.sha256(CA.certificate()), crl.issuerFingerprint());
        assertEquals("CN=CRL Test CA", crl.issuer());
        assertEquals(TestPki.NOW.minusSeconds(3600), crl.thisUpdate());
        assertEquals(TestPki.NOW.plusSeconds(86400), crl.nextUpdate());
        assertEquals(1, crl.entries());
        assertEquals("imported", crl.origin());
        assertEquals(revokedAt, crl.crl().getRevokedCertificate(ALICE.certificate().getSerialNumber())
                .getRevocationDate().toInstant());
    }

    @Test
    void acceptsPemCrl() throws Exception {
        byte[] der = RevocationPki.crl(CA).der();
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new PemObject("X509 CRL", der));
        }
        StoredCrl crl = verify(pem.toString().getBytes(StandardCharsets.US_ASCII), List.of(CA.certificate()));
        assertArrayEquals(der, crl.crl().getEncoded());
        assertEquals(0, crl.entries());
    }

    @Test
    void refusesForgedCrlWithTheCasNameButAnotherKey() {
        byte[] forged = RevocationPki.crl(CA).signedWith(TestPki.freshRsaKeyPair().getPrivate()).der();
        assertEquals("signature does not verify with the key of the stored CA certificate CN=CRL Test CA:"
                + " signed by another key", rejection(forged));
    }

    @Test
    void acceptsCrlSignedByTheRenewedKeyOfACaWhoseOldCertificateIsAlsoStored() throws Exception {
        TestPki.Issued renewed = TestPki.certificate().subject("CRL Test CA", null).ca()
                .keyPair(TestPki.freshRsaKeyPair()).build();
        StoredCrl crl = verify(RevocationPki.crl(renewed).der(), List.of(CA.certificate(), renewed.certificate()));
        assertEquals(Fingerprints.sha256(renewed.certificate()), crl.issuerFingerprint());
    }

    @Test
    void refusesCrlOfAnIssuerThatIsNotStored() {
        assertEquals("no stored CA certificate named CN=Other CA",
                rejection(RevocationPki.crl(TestPki.ca("Other CA")).der()));
    }

    @Test
    void refusesCrlLargerThanTheLimit() {
        byte[] crl = RevocationPki.crl(CA).der();
        CrlRejected rejected = assertThrows(CrlRejected.class,
                () -> CrlVerifier.verify(crl, "imported", List.of(CA.certificate()), TestPki.NOW, crl.length - 1));
        assertEquals("larger than the limit of " + (crl.length - 1) + " bytes (revocation.crl.max.bytes)",
                rejected.getMessage());
    }

    @Test
    void refusesTruncatedGarbageAndEmptyInputSayingItIsNotACrl() {
        byte[] crl = RevocationPki.crl(CA).revoke(ALICE.certificate(), TestPki.NOW).der();
        assertTrue(rejection(Arrays.copyOf(crl, crl.length - 20)).startsWith("not a CRL: "));
        assertTrue(rejection("this is not a CRL\n".getBytes(StandardCharsets.US_ASCII)).startsWith("not a CRL: "));
        assertEquals("not a CRL: the data is empty", rejection(new byte[0]));
        byte[] padded = Arrays.copyOf(crl, crl.length + 3);
        assertEquals("not a CRL: 3 bytes follow the CRL", rejection(padded));
    }

    @Test
    void refusesPemThatHoldsSomethingElse() throws Exception {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(CA.certificate());
        }
        assertEquals("not a CRL: the first PEM block is not an X509 CRL",
                rejection(pem.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void everyTruncationAndEveryByteFlipIsRefusedWithAReasonAndNothingElse() {
        byte[] crl = RevocationPki.crl(CA).revoke(ALICE.certificate(), TestPki.NOW).der();
        for (int length = 0; length < crl.length; length++) {
            assertTrue(rejection(Arrays.copyOf(crl, length)).startsWith("not a CRL: "), "length " + length);
        }
        for (int i = 0; i < crl.length; i++) {
            byte[] flipped = crl.clone();
            flipped[i] ^= 0x41;
            try {
                verify(flipped, List.of(CA.certificate()));
            } catch (CrlRejected e) {
                assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), "byte " + i);
            }
        }
    }

    @Test
    void refusesDeltaCrl() throws Exception {
        byte[] delta = RevocationPki.crl(CA).extension(new Extension(Extension.deltaCRLIndicator, true,
                new ASN1Integer(1).getEncoded())).der();
        assertEquals("a delta CRL: only complete CRLs are used", rejection(delta));
    }

    @Test
    void refusesIndirectAndPartialCrls() throws Exception {
        IssuingDistributionPoint indirect = new IssuingDistributionPoint(null, false, false, null, true, false);
        assertTrue(rejection(RevocationPki.crl(CA).extension(new Extension(Extension.issuingDistributionPoint, true,
                indirect.getEncoded())).der()).startsWith("an indirect CRL: "));
        IssuingDistributionPoint someReasons = new IssuingDistributionPoint(null, false, false,
                new ReasonFlags(ReasonFlags.keyCompromise), false, false);
        assertTrue(rejection(RevocationPki.crl(CA).extension(new Extension(Extension.issuingDistributionPoint, true,
                someReasons.getEncoded())).der()).startsWith("a CRL limited to some revocation reasons"));
    }

    @Test
    void refusesCrlWithAnUnknownCriticalExtension() throws Exception {
        byte[] crl = RevocationPki.crl(CA).extension(new Extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"),
                true, DERNull.INSTANCE.getEncoded())).der();
        assertEquals("an unknown critical extension 1.3.6.1.4.1.99999.1 (RFC 5280 §5.2)", rejection(crl));
    }

    @Test
    void refusesCrlOfACaWhoseKeyUsageLacksCrlSign() {
        TestPki.Issued noCrlSign = TestPki.certificate().subject("No CRL Sign CA", null).ca()
                .keyUsage(KeyUsage.keyCertSign).build();
        assertEquals("the stored CA certificate CN=No CRL Sign CA may not sign CRLs: its Key Usage lacks cRLSign",
                rejection(RevocationPki.crl(noCrlSign).der(), List.of(noCrlSign.certificate())));
    }

    @Test
    void acceptsCrlOfACaWithoutKeyUsage() throws Exception {
        TestPki.Issued noKeyUsage = TestPki.certificate().subject("No KU CA", null).ca().keyUsage(null).build();
        assertEquals("CN=No KU CA", verify(RevocationPki.crl(noKeyUsage).der(),
                List.of(noKeyUsage.certificate())).issuer());
    }

    @Test
    void refusesExpiredCrl() {
        byte[] crl = RevocationPki.crl(CA).updates(TestPki.NOW.minusSeconds(7200), TestPki.NOW.minusSeconds(60)).der();
        assertEquals("expired: its nextUpdate " + TestPki.NOW.minusSeconds(60) + " has passed", rejection(crl));
    }

    @Test
    void partitionedCrlCoversOnlyTheCertificatesOfItsPart() throws Exception {
        TestPki.Issued inPartA = RevocationPki.client(CA, "a@example.org", null, "http://crl.example/a.crl");
        TestPki.Issued inPartB = RevocationPki.client(CA, "b@example.org", null, "http://crl.example/b.crl");
        IssuingDistributionPoint partA = new IssuingDistributionPoint(new DistributionPointName(
                new GeneralNames(RevocationPki.uri("http://crl.example/a.crl"))), true, false, null, false, false);
        StoredCrl crl = verify(RevocationPki.crl(CA).extension(new Extension(Extension.issuingDistributionPoint, true,
                partA.getEncoded())).der(), List.of(CA.certificate()));
        assertNull(CrlVerifier.outOfScope(crl.crl(), inPartA.certificate()));
        assertEquals("it is the CRL of a distribution point the certificate does not name",
                CrlVerifier.outOfScope(crl.crl(), inPartB.certificate()));
        assertEquals("it lists only end-entity certificates", CrlVerifier.outOfScope(crl.crl(), CA.certificate()));
    }
}
