package org.smimegw.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.smimegw.core.testing.TestPki;

class CertificateRulesTest {

    private static String rejection(TestPki.Builder builder) {
        ImportDecision decision = CertificateRules.classify(builder.build().certificate());
        return assertInstanceOf(ImportDecision.Rejected.class, decision).reason();
    }

    @Test
    void acceptsCaCertificateWithoutAnyClientAttribute() {
        ImportDecision decision = CertificateRules.classify(TestPki.ca("Test Root").certificate());
        assertEquals(new ImportDecision.Accepted(CertificateKind.CA), decision);
    }

    @Test
    void acceptsCaCertificateEvenWithEkuLackingEmailProtection() {
        TestPki.Builder builder = TestPki.certificate().subject("CA with EKU", null).ca()
                .eku(KeyPurposeId.id_kp_serverAuth);
        assertEquals(new ImportDecision.Accepted(CertificateKind.CA),
                CertificateRules.classify(builder.build().certificate()));
    }

    @Test
    void acceptsClientCertificateWithSanKeyUsageAndEmailProtection() {
        assertEquals(new ImportDecision.Accepted(CertificateKind.CLIENT),
                CertificateRules.classify(TestPki.client("alice@example.com").build().certificate()));
    }

    @Test
    void acceptsClientCertificateWithoutExtendedKeyUsage() {
        assertEquals(new ImportDecision.Accepted(CertificateKind.CLIENT),
                CertificateRules.classify(TestPki.client("alice@example.com").eku((KeyPurposeId[]) null)
                        .build().certificate()));
    }

    @Test
    void rejectsClientCertificateWithoutSubjectAlternativeName() {
        String reason = rejection(TestPki.client().subject("Alice", "alice@example.com").san());
        assertTrue(reason.contains("Subject Alternative Name"), reason);
    }

    @Test
    void rejectsClientCertificateWithoutKeyUsage() {
        String reason = rejection(TestPki.client("alice@example.com").keyUsage(null));
        assertTrue(reason.contains("Key Usage"), reason);
    }

    @Test
    void rejectsClientCertificateWhoseKeyUsageHasNeitherSigningNorEncipherment() {
        String reason = rejection(TestPki.client("alice@example.com").keyUsage(KeyUsage.dataEncipherment));
        assertTrue(reason.contains("Key Usage has neither digitalSignature nor keyEncipherment"), reason);
    }

    @Test
    void rejectsRsaCertificateWithOnlyKeyAgreement() {
        String reason = rejection(TestPki.client("alice@example.com").keyUsage(KeyUsage.keyAgreement));
        assertTrue(reason.contains("Key Usage"), reason);
    }

    @Test
    void acceptsEcCertificateWithKeyAgreementForEncryption() {
        X509Builder ec = new X509Builder(TestPki.client("ec@example.com").ec().keyUsage(KeyUsage.keyAgreement));
        assertEquals(new ImportDecision.Accepted(CertificateKind.CLIENT), CertificateRules.classify(ec.cert()));
        assertTrue(CertificateFacts.purposes(ec.cert()).contains(KeyPurpose.ENCRYPT));
    }

    @Test
    void rejectsClientCertificateWhoseExtendedKeyUsageLacksEmailProtection() {
        String reason = rejection(TestPki.client("alice@example.com").eku(KeyPurposeId.id_kp_serverAuth));
        assertTrue(reason.contains("Extended Key Usage lacks emailProtection"), reason);
    }

    @Test
    void storesExpiredClientCertificateBecauseValidityIsNoImportRule() {
        TestPki.Issued expired = TestPki.client("old@example.com")
                .valid(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-01-01T00:00:00Z")).build();
        assertEquals(new ImportDecision.Accepted(CertificateKind.CLIENT),
                CertificateRules.classify(expired.certificate()));
    }

    @Test
    void readsAddressesFromSanAndLegacySubjectEmailInLowerCase() {
        TestPki.Issued issued = TestPki.client("Alice@Example.COM").subject("Alice", "Legacy@Example.com")
                .san("Alice@Example.COM").build();
        assertEquals(java.util.List.of("alice@example.com", "legacy@example.com"),
                java.util.List.copyOf(CertificateFacts.emailAddresses(issued.certificate())));
    }

    /** Small holder so the EC test reads clearly. */
    private record X509Builder(java.security.cert.X509Certificate cert) {
        X509Builder(TestPki.Builder builder) {
            this(builder.build().certificate());
        }
    }
}
