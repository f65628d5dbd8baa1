package org.smimegw.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.CertPolicyId;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyMappings;
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

    @Test
    void rejectsClientCertificateWhoseKeyUsageHasOnlyNonRepudiation() {
        String reason = rejection(TestPki.client("alice@example.com").keyUsage(KeyUsage.nonRepudiation));
        assertEquals("Key Usage has neither digitalSignature nor keyEncipherment (only nonRepudiation)", reason);
    }

    @Test
    void rejectsEcCertificateWhoseKeyUsageHasOnlyNonRepudiation() {
        String reason = rejection(TestPki.client("ec@example.com").ec().keyUsage(KeyUsage.nonRepudiation));
        assertTrue(reason.startsWith("Key Usage has none of digitalSignature, keyEncipherment, keyAgreement"),
                reason);
    }

    @Test
    void nonRepudiationAloneDoesNotMakeACertificateFitForSigning() {
        TestPki.Issued issued = TestPki.client("alice@example.com")
                .keyUsage(KeyUsage.nonRepudiation | KeyUsage.keyEncipherment).build();
        assertEquals(java.util.Set.of(KeyPurpose.ENCRYPT), CertificateFacts.purposes(issued.certificate()));
    }

    @Test
    void rejectsClientCertificateWithAnUnknownCriticalExtensionNamingTheOid() {
        String reason = rejection(TestPki.client("alice@example.com")
                .extension("1.2.3.4.5.6", true, DERNull.INSTANCE));
        assertEquals("unsupported critical extension 1.2.3.4.5.6", reason);
    }

    @Test
    void rejectsCaCertificateWithAnUnknownCriticalExtensionNamingTheOid() {
        String reason = rejection(TestPki.certificate().subject("Odd CA", null).ca()
                .extension("1.2.3.4.5.6", true, DERNull.INSTANCE)
                .extension("1.2.3.4.5.7", true, DERNull.INSTANCE));
        assertEquals("unsupported critical extensions 1.2.3.4.5.6, 1.2.3.4.5.7", reason);
    }

    @Test
    void acceptsUnknownExtensionThatIsNotCritical() {
        assertEquals(new ImportDecision.Accepted(CertificateKind.CLIENT), CertificateRules.classify(
                TestPki.client("alice@example.com").extension("1.2.3.4.5.6", false, DERNull.INSTANCE).build()
                        .certificate()));
    }

    @Test
    void acceptsCriticalExtensionsTheGatewayHandles() {
        CertificatePolicies anyPolicy = new CertificatePolicies(new PolicyInformation(Extension.certificatePolicies
                .branch("0")));
        TestPki.Issued ca = TestPki.certificate().subject("Constrained CA", null).ca()
                .extension(Extension.certificatePolicies.getId(), true, anyPolicy)
                .extension(Extension.nameConstraints.getId(), true, new NameConstraints(new GeneralSubtree[] {
                    new GeneralSubtree(new GeneralName(GeneralName.rfc822Name, "example.com"))}, null))
                .extension(Extension.policyConstraints.getId(), true, new PolicyConstraints(null, BigInteger.ONE))
                .extension(Extension.policyMappings.getId(), true, new PolicyMappings(
                        CertPolicyId.getInstance(new ASN1ObjectIdentifier("1.2.3.1")),
                        CertPolicyId.getInstance(new ASN1ObjectIdentifier("1.2.3.2"))))
                .extension(Extension.inhibitAnyPolicy.getId(), true, new ASN1Integer(0))
                .build();
        TestPki.Issued client = TestPki.client().subject("alice", null).san().eku((KeyPurposeId[]) null)
                .extension(Extension.subjectAlternativeName.getId(), true,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, "alice@example.com")))
                .extension(Extension.extendedKeyUsage.getId(), true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                .extension(Extension.certificatePolicies.getId(), true, anyPolicy)
                .issuedBy(ca).build();

        assertEquals(new ImportDecision.Accepted(CertificateKind.CA), CertificateRules.classify(ca.certificate()));
        assertEquals(new ImportDecision.Accepted(CertificateKind.CLIENT),
                CertificateRules.classify(client.certificate()));
    }

    @Test
    void rejectsRfc822NameThatIsNotAnEmailAddress() {
        String reason = rejection(TestPki.client("alice@example.com").san("alice@example.com", "not-an-email"));
        assertEquals("invalid e-mail address in Subject Alternative Name: \"not-an-email\"", reason);
    }

    @Test
    void rejectsRfc822NameWithLineBreakAndQuoteEscapingThemSoTheReasonStaysOneLine() {
        String reason = rejection(TestPki.client("evil\"x\r\ny@smime.example"));
        assertEquals("invalid e-mail address in Subject Alternative Name: \"evil\\\"x\\r\\ny@smime.example\"",
                reason);
    }

    @Test
    void rejectsRfc822NamesThatAreNotMailboxes() {
        for (String name : new String[] {"a b@example.com", "@example.com", "alice@", "alice@@example.com",
            ".alice@example.com", "al..ice@example.com", "alice@example..com", "alice@-example.com",
            "alice@[192.0.2.1]", "\"alice\"@example.com", "alice@example.com ", "a".repeat(65) + "@example.com",
            "alice\u0000@example.com"}) {
            // the JDK itself refuses to parse a few of these, which leaves no address at all
            String reason = rejection(TestPki.client("x@example.com").san(name));
            assertTrue(reason.contains("Subject Alternative Name"), name);
            assertTrue(reason.chars().allMatch(c -> c >= 0x20 && c < 0x7f), reason);
        }
    }

    @Test
    void acceptsCommonMailboxForms() {
        for (String name : new String[] {"First.Last+tag@mail.example.org", "o'brien@example.ie", "x@localhost",
            "a_b-c=d@sub-domain.example", "a".repeat(64) + "@example.com"}) {
            assertEquals(new ImportDecision.Accepted(CertificateKind.CLIENT),
                    CertificateRules.classify(TestPki.client("x@example.com").san(name).build().certificate()),
                    name);
        }
    }

    @Test
    void rejectsLegacySubjectEmailAddressThatIsNotAnEmailAddress() {
        String reason = rejection(TestPki.client("alice@example.com").subject("Alice", "alice at example.com"));
        assertEquals("invalid e-mail address in subject emailAddress: \"alice at example.com\"", reason);
    }

    /** Small holder so the EC test reads clearly. */
    private record X509Builder(java.security.cert.X509Certificate cert) {
        X509Builder(TestPki.Builder builder) {
            this(builder.build().certificate());
        }
    }
}
