package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smimegw.core.inbound.InboundFixture.HOST;
import static org.smimegw.core.inbound.InboundFixture.authResults;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/** Verdicts and the exact header text for ordinary signed messages. */
class InboundVerdictTest {
    private final InboundFixture fx = new InboundFixture();
    private final Issued ca = fx.ca;
    private final Issued alice = fx.alice;

    private static void assertPolicy(String reason, InboundResult result) {
        assertInstanceOf(SmimeResult.Policy.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(reason, result.verdict().reason().get());
        assertTrue(result.keepOriginal());
    }

    @Test
    void validSignatureOfSignerUnderStoredCaPasses() {
        InboundResult result = fx.process(TestMessages.signedBy(alice, List.of(alice.certificate())));

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(HOST + "; smime=pass"
                + "    header.from=alice@example.com body.smime-identifier=alice@example.com"
                + "    body.smime-serial=" + alice.certificate().getSerialNumber().toString(16)
                + " body.smime-issuer=\"CN=Example Root CA\"", authResults(result));
    }

    @Test
    void displayNameNeverCountsAsTheFromAddress() {
        String headers = TestMessages.HEADERS.replace("Alice <alice@example.com>",
                "\"alice@example.com\" <mallory@example.net>");

        InboundResult result = fx.process(TestMessages.signedBy(headers, alice, List.of(alice.certificate())));

        assertPolicy("signer alice@example.com is not the From address mallory@example.net", result);
    }

    @Test
    void notYetValidSignerCertificateIsPolicy() {
        Issued future = TestPki.client("alice@example.com").issuedBy(ca)
                .valid(Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2028-01-01T00:00:00Z")).build();

        InboundResult result = fx.process(TestMessages.signedBy(future, List.of(future.certificate())));

        assertPolicy("certificate not yet valid (valid from 2027-01-01)", result);
    }

    @Test
    void selfSignedStoredClientCertificateIsNoAnchorForOthers() {
        Issued storedClient = TestPki.client("carol@example.com").build();
        fx.directory.add(storedClient.certificate(), CertificateKind.CLIENT);
        Issued signer = TestPki.client("alice@example.com").issuedBy(storedClient).build();

        InboundResult result = fx.process(TestMessages.signedBy(signer, List.of(signer.certificate())));

        assertPolicy(SignerTrust.NOT_TRUSTED, result);
    }

    @Test
    void expiredIntermediateCertificateIsPolicyNamingIt() {
        Issued intermediate = TestPki.certificate().subject("Old Issuing CA", null).ca().issuedBy(ca)
                .valid(Instant.parse("2023-01-01T00:00:00Z"), Instant.parse("2025-03-01T00:00:00Z")).build();
        Issued signer = TestPki.client("alice@example.com").issuedBy(intermediate).build();

        InboundResult result = fx.process(TestMessages.signedBy(signer,
                List.of(signer.certificate(), intermediate.certificate())));

        assertPolicy("issuer certificate expired on 2025-03-01 (CN=Old Issuing CA)", result);
    }

    @Test
    void expiredStoredCaCertificateIsPolicy() {
        Issued oldCa = TestPki.certificate().subject("Old Root CA", null).ca()
                .valid(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z")).build();
        fx.directory.add(oldCa.certificate(), CertificateKind.CA);
        Issued signer = TestPki.client("alice@example.com").issuedBy(oldCa).build();

        InboundResult result = fx.process(TestMessages.signedBy(signer, List.of(signer.certificate())));

        assertPolicy("issuer certificate expired on 2026-01-01 (CN=Old Root CA)", result);
    }

    @Test
    void md5SignatureIsPolicy() {
        byte[] message = TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                TestMessages.der(TestMessages.sign(TestMessages.TEXT_PART, alice, List.of(alice.certificate()),
                        "MD5withRSA", false)));

        assertPolicy("MD5 signatures are refused", fx.process(message));
    }

    @Test
    void signerWhoseKeyUsageDoesNotAllowSigningIsPolicy() {
        Issued encryptOnly = TestPki.client("alice@example.com").issuedBy(ca).keyUsage(KeyUsage.keyEncipherment)
                .build();

        InboundResult result = fx.process(TestMessages.signedBy(encryptOnly, List.of(encryptOnly.certificate())));

        assertPolicy("signer certificate Key Usage allows neither digitalSignature nor nonRepudiation", result);
    }

    @Test
    void signerWhoseExtendedKeyUsageLacksEmailProtectionIsPolicy() {
        Issued tlsOnly = TestPki.client("alice@example.com").issuedBy(ca).eku(KeyPurposeId.id_kp_serverAuth)
                .build();

        InboundResult result = fx.process(TestMessages.signedBy(tlsOnly, List.of(tlsOnly.certificate())));

        assertPolicy("signer certificate Extended Key Usage lacks emailProtection", result);
    }

    @Test
    void storedClientCertificateIsTrustedWithoutAnyCa() {
        Issued selfSigned = TestPki.client("alice@example.com").build();
        fx.directory.add(selfSigned.certificate(), CertificateKind.CLIENT);

        InboundResult result = fx.process(TestMessages.signedBy(selfSigned, List.of()));

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
    }

    @Test
    void withTwoValidSignersTheOneCarryingFromIsReported() throws Exception {
        Issued carol = TestPki.client("carol@example.com").issuedBy(ca).build();
        CMSSignedData byCarol = TestMessages.sign(TestMessages.TEXT_PART, carol, List.of(), "SHA256withRSA", false);
        CMSSignedData byAlice = TestMessages.sign(TestMessages.TEXT_PART, alice, List.of(), "SHA256withRSA", false);
        List<SignerInformation> signers = new ArrayList<>(byCarol.getSignerInfos().getSigners());
        signers.addAll(byAlice.getSignerInfos().getSigners());
        CMSSignedData both = CMSSignedData.replaceCertificatesAndCRLs(
                CMSSignedData.replaceSigners(byCarol, new SignerInformationStore(signers)),
                new JcaCertStore(List.of(carol.certificate(), alice.certificate())), null, null);

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                both.getEncoded()));

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        assertEquals("alice@example.com", result.verdict().signer().get().identifier());
    }
}
