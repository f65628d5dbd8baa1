package org.smimegw.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.smimegw.core.testing.TestPki;

class CertificateSelectorTest {
    private static final Instant NOW = TestPki.NOW;
    private static final String BOB = "bob@example.com";

    private static CertificateRecord bob(Instant from, Instant until, int keyUsage) {
        return CertificateRecord.of(TestPki.client(BOB).keyUsage(keyUsage).valid(from, until).build().certificate(),
                CertificateKind.CLIENT);
    }

    private static CertificateRecord bob(Instant from, Instant until) {
        return bob(from, until, KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
    }

    private static CertificateRecord selected(List<CertificateRecord> candidates, KeyPurpose purpose) {
        return assertInstanceOf(Selection.Selected.class, CertificateSelector.select(candidates, purpose, NOW))
                .certificate();
    }

    private static String unavailable(List<CertificateRecord> candidates, KeyPurpose purpose) {
        return assertInstanceOf(Selection.Unavailable.class, CertificateSelector.select(candidates, purpose, NOW))
                .reason();
    }

    @Test
    void selectsNewestValidCertificateWhenAnExpiredOneExists() {
        CertificateRecord expired = bob(NOW.minus(Duration.ofDays(800)), NOW.minus(Duration.ofDays(1)));
        CertificateRecord valid = bob(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(100)));
        assertEquals(valid, selected(List.of(expired, valid), KeyPurpose.ENCRYPT));
    }

    @Test
    void selectsValidCertificateWithLatestNotAfter() {
        CertificateRecord shorter = bob(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(100)));
        CertificateRecord longer = bob(NOW.minus(Duration.ofDays(20)), NOW.plus(Duration.ofDays(300)));
        assertEquals(longer, selected(List.of(shorter, longer), KeyPurpose.ENCRYPT));
        assertEquals(longer, selected(List.of(longer, shorter), KeyPurpose.ENCRYPT));
    }

    @Test
    void ignoresNewerButExpiredCertificate() {
        CertificateRecord valid = bob(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(5)));
        CertificateRecord newerExpired = bob(NOW.minus(Duration.ofDays(5)), NOW.minus(Duration.ofDays(1)));
        assertEquals(valid, selected(List.of(newerExpired, valid), KeyPurpose.ENCRYPT));
    }

    @Test
    void ignoresFutureCertificateEvenWithLaterNotAfter() {
        CertificateRecord valid = bob(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(5)));
        CertificateRecord future = bob(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(900)));
        assertEquals(valid, selected(List.of(future, valid), KeyPurpose.ENCRYPT));
    }

    @Test
    void namesExpiryDateWhenOnlyExpiredCertificatesExist() {
        CertificateRecord expired = bob(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-07-31T10:00:00Z"));
        assertEquals("expired on 2024-07-31", unavailable(List.of(expired), KeyPurpose.ENCRYPT));
    }

    @Test
    void saysNotYetValidWhenOnlyFutureCertificatesExist() {
        CertificateRecord future = bob(Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2031-01-01T00:00:00Z"));
        assertEquals("not yet valid (from 2030-01-01)", unavailable(List.of(future), KeyPurpose.ENCRYPT));
    }

    @Test
    void saysNoCertificateWhenThereIsNone() {
        assertEquals("no certificate", unavailable(List.of(), KeyPurpose.SIGN));
    }

    @Test
    void neverUsesSigningOnlyCertificateForEncryption() {
        CertificateRecord signingOnly = bob(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
        assertEquals("no certificate for encryption", unavailable(List.of(signingOnly), KeyPurpose.ENCRYPT));
        assertEquals(signingOnly, selected(List.of(signingOnly), KeyPurpose.SIGN));
    }

    @Test
    void neverUsesEncryptionOnlyCertificateForSigning() {
        CertificateRecord encryptionOnly = bob(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)),
                KeyUsage.keyEncipherment);
        assertEquals("no certificate for signing", unavailable(List.of(encryptionOnly), KeyPurpose.SIGN));
        assertEquals(encryptionOnly, selected(List.of(encryptionOnly), KeyPurpose.ENCRYPT));
    }

    @Test
    void picksByKeyUsageBetweenSeparateSigningAndEncryptionCertificates() {
        CertificateRecord signing = bob(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(500)),
                KeyUsage.digitalSignature);
        CertificateRecord encryption = bob(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(400)),
                KeyUsage.keyEncipherment);
        assertEquals(signing, selected(List.of(signing, encryption), KeyPurpose.SIGN));
        assertEquals(encryption, selected(List.of(signing, encryption), KeyPurpose.ENCRYPT));
    }

    @Test
    void usesEcKeyAgreementCertificateForEncryption() {
        CertificateRecord ec = CertificateRecord.of(TestPki.client(BOB).ec().keyUsage(KeyUsage.keyAgreement)
                .build().certificate(), CertificateKind.CLIENT);
        assertEquals(ec, selected(List.of(ec), KeyPurpose.ENCRYPT));
    }

    @Test
    void neverSelectsCaCertificate() {
        CertificateRecord ca = CertificateRecord.of(TestPki.ca("CA").certificate(), CertificateKind.CA);
        assertEquals("no certificate", unavailable(List.of(ca), KeyPurpose.SIGN));
    }

    @Test
    void judgesValidityAtTheInstantAsked() {
        CertificateRecord cert = bob(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-12-31T00:00:00Z"));
        assertInstanceOf(Selection.Selected.class,
                CertificateSelector.select(List.of(cert), KeyPurpose.ENCRYPT, Instant.parse("2026-06-01T00:00:00Z")));
        assertInstanceOf(Selection.Unavailable.class,
                CertificateSelector.select(List.of(cert), KeyPurpose.ENCRYPT, Instant.parse("2027-06-01T00:00:00Z")));
    }
}
