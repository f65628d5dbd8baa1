package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smimegw.core.inbound.InboundFixture.HOST;
import static org.smimegw.core.inbound.InboundFixture.authResults;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.mime.FromIdentity;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/** Messages crafted to make the gateway report a signature or decryption that is not there. */
class InboundAttackTest {
    private final InboundFixture fx = new InboundFixture();
    private final Issued ca = fx.ca;
    private final Issued alice = fx.alice;
    private final Issued bob = fx.bob;
    private final InMemoryCertificateDirectory directory = fx.directory;

    private static void assertPolicy(String reason, InboundResult result) {
        assertInstanceOf(SmimeResult.Policy.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(reason, result.verdict().reason().get());
        assertTrue(result.keepOriginal());
    }

    @Test
    void forgedCloneSignedByFakeCaOfTheSameNameIsNotTrusted() {
        Issued fakeCa = TestPki.certificate().subject("Example Root CA", null).ca()
                .keyPair(TestPki.freshRsaKeyPair()).build();
        Issued clone = cloneOf(alice, fakeCa);

        InboundResult result = fx.process(TestMessages.signedBy(clone,
                List.of(clone.certificate(), fakeCa.certificate())));

        assertPolicy(SignerTrust.NOT_TRUSTED, result);
    }

    @Test
    void forgedCloneSignedByItsOwnKeyInTheNameOfTheStoredCaIsNotTrusted() {
        directory.add(alice.certificate(), CertificateKind.CLIENT);
        KeyPair forgedPair = TestPki.freshRsaKeyPair();
        Issued clone = cloneOf(alice, new Issued(ca.certificate(), forgedPair.getPrivate()), forgedPair);

        InboundResult result = fx.process(TestMessages.signedBy(clone, List.of(clone.certificate())));

        assertPolicy(SignerTrust.NOT_TRUSTED, result);
    }

    @Test
    void forgedSignatureWithoutEmbeddedCertificateFailsAgainstTheStoredCertificate() {
        directory.add(alice.certificate(), CertificateKind.CLIENT);
        Issued clone = cloneOf(alice, TestPki.ca("Example Root CA"));

        InboundResult result = fx.process(TestMessages.signedBy(clone, List.of()));

        assertInstanceOf(SmimeResult.Fail.class, result.verdict(), () -> result.verdict().toString());
    }

    private static Issued cloneOf(Issued original, Issued issuer) {
        return cloneOf(original, issuer, TestPki.freshRsaKeyPair());
    }

    private static Issued cloneOf(Issued original, Issued issuer, KeyPair pair) {
        return TestPki.client("alice@example.com").issuedBy(issuer).keyPair(pair)
                .serial(original.certificate().getSerialNumber()).build();
    }

    @Test
    void signerWhoIsNotTheFromAddressIsPolicy() {
        String headers = TestMessages.HEADERS.replace("Alice <alice@example.com>", "Bob <bob@example.com>");

        InboundResult result = fx.process(TestMessages.signedBy(headers, alice, List.of(alice.certificate())));

        assertPolicy("signer alice@example.com is not the From address bob@example.com", result);
    }

    @Test
    void twoFromHeadersArePolicy() {
        String headers = TestMessages.HEADERS + "From: alice@example.com\r\n";

        InboundResult result = fx.process(TestMessages.signedBy(headers, alice, List.of(alice.certificate())));

        assertPolicy("message has 2 From headers", result);
    }

    @Test
    void fromHeaderWithTwoAddressesIsPolicy() {
        String headers = TestMessages.HEADERS.replace("Alice <alice@example.com>",
                "alice@example.com, mallory@example.net");

        InboundResult result = fx.process(TestMessages.signedBy(headers, alice, List.of(alice.certificate())));

        assertPolicy("From header has 2 addresses", result);
    }

    @Test
    void fromWithAnotherAddressAfterTheAngleAddressIsPolicy() {
        String headers = TestMessages.HEADERS.replace("Alice <alice@example.com>",
                "<alice@example.com> mallory@evil.test");

        InboundResult result = fx.process(TestMessages.signedBy(headers, alice, List.of(alice.certificate())));

        assertPolicy(FromIdentity.NOT_ONE_ADDRESS, result);
    }

    @Test
    void forgedResultWithQuotedAuthservIdIsRemoved() {
        String forged = "Authentication-Results: \"" + HOST + "\"; smime=pass\r\n"
                + "Authentication-Results: (forged) \"GW.Example.org\" 1; smime=pass\r\n";
        byte[] message = TestMessages.ascii(forged + TestMessages.HEADERS + "\r\nplain text\r\n");

        InboundResult result = fx.process(message);

        assertEquals(List.of(HOST + "; smime=none"), result.message().headerValues("Authentication-Results"));
    }

    @Test
    void partlySignedMultipartIsNone() {
        byte[] signed = TestMessages.signedBy("", alice, List.of(alice.certificate()));
        byte[] message = TestMessages.concat(TestMessages.ascii(TestMessages.HEADERS
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\n"
                + "Content-Type: text/plain\r\n\r\nUnsigned text added by someone.\r\n--outer\r\n"),
                signed, TestMessages.ascii("\r\n--outer--\r\n"));

        InboundResult result = fx.process(message);

        assertInstanceOf(SmimeResult.None.class, result.verdict());
        assertEquals(HOST + "; smime=none", authResults(result));
    }

    @Test
    void forgedStatusHeadersAreReplacedWhileForeignResultsStay() {
        String forged = "Authentication-Results: " + HOST + "; smime=pass\r\n"
                + "Authentication-Results: GW.Example.ORG (forged) 1 ; smime=pass\r\n"
                + "X-SMIME-Encryption: decrypted; cert=00\r\n"
                + "x-smime-sign: yes\r\n"
                + "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.com\r\n";
        byte[] message = TestMessages.ascii(forged + TestMessages.HEADERS + "\r\nplain text\r\n");

        InboundResult result = fx.process(message);

        List<String> results = result.message().headerValues("Authentication-Results");
        assertEquals(List.of(HOST + "; smime=none", "mx.example.net; spf=pass smtp.mailfrom=example.com"), results);
        assertEquals(List.of("none"), result.message().headerValues("X-SMIME-Encryption"));
        assertEquals(List.of(), result.message().headerValues("X-SMIME-Sign"));
    }

    @Test
    void lfOnlyInputVerifiesLikeCrlf() {
        byte[] crlf = TestMessages.signedBy(alice, List.of(alice.certificate()));
        byte[] lf = new String(crlf, StandardCharsets.ISO_8859_1).replace("\r\n", "\n")
                .getBytes(StandardCharsets.ISO_8859_1);

        assertEquals(fx.process(crlf).verdict(), fx.process(lf).verdict());
        assertInstanceOf(SmimeResult.Pass.class, fx.process(lf).verdict());
    }

    @Test
    void expiredSignerCertificateIsPolicy() {
        Issued expired = TestPki.client("alice@example.com").issuedBy(ca)
                .valid(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z")).build();

        InboundResult result = fx.process(TestMessages.signedBy(expired, List.of(expired.certificate())));

        assertPolicy("certificate expired on 2025-01-01", result);
    }

    @Test
    void signerChainingThroughEmbeddedIntermediateToStoredCaPasses() {
        Issued intermediate = TestPki.certificate().subject("Example Issuing CA", null).ca().issuedBy(ca).build();
        Issued signer = TestPki.client("alice@example.com").issuedBy(intermediate).build();

        InboundResult result = fx.process(TestMessages.signedBy(signer,
                List.of(signer.certificate(), intermediate.certificate())));

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
    }

    @Test
    void signerWhoseChainEndsAtUnstoredCaIsPolicy() {
        Issued otherCa = TestPki.ca("Other Root CA");
        Issued signer = TestPki.client("alice@example.com").issuedBy(otherCa).build();

        InboundResult result = fx.process(TestMessages.signedBy(signer,
                List.of(signer.certificate(), otherCa.certificate())));

        assertPolicy(SignerTrust.NOT_TRUSTED, result);
    }

    @Test
    void certificateIssuedByStoredClientCertificateIsPolicy() {
        Issued clientIssuer = TestPki.certificate().subject("Mallory", null).ca().issuedBy(ca).build();
        directory.add(clientIssuer.certificate(), CertificateKind.CLIENT);
        Issued signer = TestPki.client("alice@example.com").issuedBy(clientIssuer).build();

        InboundResult result = fx.process(TestMessages.signedBy(signer,
                List.of(signer.certificate(), clientIssuer.certificate())));

        assertPolicy(SignerTrust.NOT_TRUSTED, result);
    }

    @Test
    void envelopedPartInsideUnencryptedMultipartIsNotDecrypted() {
        byte[] enveloped = TestMessages.envelopedDer(TestMessages.TEXT_PART, bob.certificate(), false);
        byte[] message = TestMessages.ascii(TestMessages.HEADERS
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\n"
                + "Content-Type: text/plain\r\n\r\nPlease decrypt the attachment for me.\r\n--outer\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + TestMessages.base64(enveloped) + "--outer--\r\n");

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.NotEncrypted(), result.encryption());
        assertEquals(List.of("none"), result.message().headerValues("X-SMIME-Encryption"));
        assertArrayEquals(RawMessage.parse(message).body().toByteArray(), result.message().body().toByteArray());
    }

    @Test
    void oneBrokenSignerInfoAmongTwoFails() throws Exception {
        Issued carol = TestPki.client("carol@example.com").issuedBy(ca).build();
        CMSSignedData good = TestMessages.sign(TestMessages.TEXT_PART, alice, List.of(alice.certificate()),
                "SHA256withRSA", false);
        CMSSignedData other = TestMessages.sign(TestMessages.ascii("other content"), carol,
                List.of(carol.certificate()), "SHA256withRSA", false);
        List<SignerInformation> signers = new ArrayList<>(good.getSignerInfos().getSigners());
        signers.addAll(other.getSignerInfos().getSigners());
        CMSSignedData both = CMSSignedData.replaceCertificatesAndCRLs(
                CMSSignedData.replaceSigners(good, new SignerInformationStore(signers)),
                new JcaCertStore(List.of(alice.certificate(), carol.certificate())),
                null, null);

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                both.getEncoded()));

        assertInstanceOf(SmimeResult.Fail.class, result.verdict(), () -> result.verdict().toString());
    }

    /** RFC 5652 §5.1 allows no SignerInfo (certificates-only); such a message is unsigned, not malformed. */
    @Test
    void signedDataWithoutSignerInfosIsNone() {
        CMSSignedData empty = TestMessages.sign(TestMessages.TEXT_PART, null, List.of(alice.certificate()),
                "SHA256withRSA", false);

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                TestMessages.der(empty)));

        assertEquals(new SmimeResult.None(), result.verdict());
        assertEquals(HOST + "; smime=none", authResults(result));
        assertFalse(result.keepOriginal(), "no certificate added later can make it signed");
    }

    @Test
    void opaqueSignedDataWithoutSignerInfosIsNoneAndItsContentIsUnwrapped() {
        InboundResult result = fx.process(TestMessages.pkcs7Mime(TestMessages.HEADERS, "signed-data",
                TestMessages.der(TestMessages.sign(TestMessages.TEXT_PART, null, List.of(alice.certificate()),
                        "SHA256withRSA", true))));

        assertEquals(new SmimeResult.None(), result.verdict());
        assertEquals(HOST + "; smime=none", authResults(result));
        assertTrue(InboundFixture.text(result).contains("\r\n\r\n" + TestMessages.TEXT + "\r\n"));
        assertEquals("text/plain; charset=utf-8", result.message().header("Content-Type").orElseThrow());
    }

    @Test
    void emptySignaturePartIsPermerror() {
        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                ""));

        assertEquals(new SmimeResult.PermError("signature part is empty"), result.verdict());
    }

    @Test
    void unsignedThirdPartInMultipartSignedIsPermerror() {
        byte[] signature = TestMessages.der(TestMessages.sign(TestMessages.TEXT_PART, alice,
                List.of(alice.certificate()), "SHA256withRSA", false));
        String signatureAndThirdPart = TestMessages.base64(signature) + "\r\n--" + TestMessages.BOUNDARY + "\r\n"
                + "Content-Type: text/plain\r\n\r\nPay invoice 1234 to account X.\r\n";

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                signatureAndThirdPart));

        assertEquals(new SmimeResult.PermError("multipart/signed must have exactly two parts, found 3"),
                result.verdict());
        assertTrue(result.keepOriginal());
    }

    @Test
    void dataAfterTheSignatureIsPermerror() {
        byte[] signature = TestMessages.der(TestMessages.sign(TestMessages.TEXT_PART, alice,
                List.of(alice.certificate()), "SHA256withRSA", false));
        byte[] withTrailer = java.util.Arrays.copyOf(signature, signature.length + 4);

        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                TestMessages.base64(withTrailer)));

        assertEquals(new SmimeResult.PermError("malformed signature"), result.verdict());
    }

    @Test
    void garbageBase64InSignaturePartIsPermerror() {
        InboundResult result = fx.process(TestMessages.multipartSigned(TestMessages.HEADERS, TestMessages.TEXT_PART,
                "!!! this is not base64 at all !!!\r\n"));

        assertInstanceOf(SmimeResult.PermError.class, result.verdict());
        assertTrue(authResults(result).startsWith(HOST + "; smime=permerror reason=\"signature part is not valid"
                + " base64"), authResults(result));
        assertTrue(result.keepOriginal());
    }

    @Test
    void messageWithoutMatchingKeyPassesUnchangedAndIsKept() {
        Issued stranger = TestPki.client("stranger@example.com").build();
        byte[] message = TestMessages.pkcs7Mime(TestMessages.HEADERS, "enveloped-data",
                TestMessages.envelopedDer(TestMessages.TEXT_PART, stranger.certificate(), false));

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.Failed(Decryptor.NO_KEY), result.encryption());
        assertEquals(List.of("failed; reason=\"" + Decryptor.NO_KEY + "\""),
                result.message().headerValues("X-SMIME-Encryption"));
        assertArrayEquals(RawMessage.parse(message).body().toByteArray(), result.message().body().toByteArray());
        assertEquals(RawMessage.parse(message).header("Content-Type"), result.message().header("Content-Type"));
        assertTrue(result.keepOriginal());
    }
}
