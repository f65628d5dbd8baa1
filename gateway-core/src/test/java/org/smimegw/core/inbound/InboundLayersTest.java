package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smimegw.core.inbound.InboundFixture.AT;
import static org.smimegw.core.inbound.InboundFixture.HOST;
import static org.smimegw.core.inbound.InboundFixture.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/** Layer handling: GCM, signature around encryption, opaque unwrapping, unlabelled p7m, hostile input. */
class InboundLayersTest {
    private final InboundFixture fx = new InboundFixture();
    private final Issued alice = fx.alice;
    private final Issued bob = fx.bob;

    @Test
    void decryptsAesGcmAuthEnvelopedData() {
        byte[] message = TestMessages.pkcs7Mime(TestMessages.HEADERS, "authEnveloped-data",
                TestMessages.envelopedDer(TestMessages.TEXT_PART, bob.certificate(), true));

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), result.encryption());
        assertTrue(text(result).contains(TestMessages.TEXT));
        assertEquals("text/plain; charset=utf-8", result.message().header("Content-Type").get());
    }

    @Test
    void tamperedAesGcmCiphertextIsNotDecrypted() {
        byte[] der = TestMessages.envelopedDer(TestMessages.TEXT_PART, bob.certificate(), true);
        der[der.length - 30] ^= 0x01;
        byte[] message = TestMessages.pkcs7Mime(TestMessages.HEADERS, "authEnveloped-data", der);

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.Failed(Decryptor.CONTENT_DAMAGED), result.encryption());
        assertFalse(text(result).contains(TestMessages.TEXT));
        assertTrue(result.keepOriginal());
    }

    @Test
    void authEnvelopedDataLabelledAsEnvelopedDataIsStillDecryptedSafely() {
        byte[] message = TestMessages.pkcs7Mime(TestMessages.HEADERS, "enveloped-data",
                TestMessages.envelopedDer(TestMessages.TEXT_PART, bob.certificate(), true));

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), result.encryption());
        assertTrue(text(result).contains(TestMessages.TEXT));
    }

    @Test
    void p7mWithoutSmimeTypeIsRecognisedByItsCmsContentType() {
        byte[] message = TestMessages.ascii(new String(TestMessages.pkcs7Mime(TestMessages.HEADERS, "x",
                TestMessages.envelopedDer(TestMessages.TEXT_PART, bob.certificate(), false)),
                StandardCharsets.ISO_8859_1).replace("; smime-type=x", ""));

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), result.encryption());
    }

    @Test
    void legacyXPkcs7TypesAreRecognised() {
        String signed = new String(fx.signedByAlice(TestMessages.HEADERS), StandardCharsets.ISO_8859_1)
                .replace("application/pkcs7-signature", "application/x-pkcs7-signature");
        String enveloped = new String(TestMessages.pkcs7Mime(TestMessages.HEADERS, "enveloped-data",
                TestMessages.envelopedDer(TestMessages.TEXT_PART, bob.certificate(), false)),
                StandardCharsets.ISO_8859_1).replace("application/pkcs7-mime", "application/x-pkcs7-mime");

        assertInstanceOf(SmimeResult.Pass.class, fx.process(TestMessages.ascii(signed)).verdict());
        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint),
                fx.process(TestMessages.ascii(enveloped)).encryption());
    }

    /** The signature is good, but it covers the ciphertext only: anyone could have signed a captured one. */
    @Test
    void signatureAroundEncryptionIsVerifiedThenDecryptedAndIsPolicy() {
        byte[] envelopedEntity = TestMessages.concat(TestMessages.ascii(
                "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"), TestMessages.ascii(TestMessages.base64(
                TestMessages.envelopedDer(TestMessages.TEXT_PART, bob.certificate(), false))));
        byte[] message = TestMessages.multipartSigned(TestMessages.HEADERS, envelopedEntity,
                TestMessages.der(TestMessages.sign(envelopedEntity, alice, List.of(alice.certificate()),
                        "SHA256withRSA", false)));

        InboundResult result = fx.process(message);

        assertInstanceOf(SmimeResult.Policy.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(InboundPipeline.SIGNED_CIPHERTEXT_ONLY, result.verdict().reason().orElseThrow());
        assertEquals("alice@example.com", result.verdict().signer().orElseThrow().email().orElseThrow());
        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), result.encryption());
        assertTrue(text(result).contains(TestMessages.TEXT));
    }

    @Test
    void opaqueSignedMessageIsUnwrappedEvenWhenNotTrusted() {
        Issued stranger = TestPki.client("alice@example.com").build();
        byte[] message = TestMessages.opaqueSigned(TestMessages.HEADERS, TestMessages.TEXT_PART, stranger,
                List.of(stranger.certificate()));

        InboundResult result = fx.process(message);

        assertEquals(new SmimeResult.Policy(SignerTrust.NOT_TRUSTED, result.verdict().signer().get()),
                result.verdict());
        assertEquals("text/plain; charset=utf-8", result.message().header("Content-Type").get());
        assertTrue(text(result).contains(TestMessages.TEXT));
    }

    @Test
    void malformedOpaqueSignedDataStaysAsReceived() {
        byte[] message = TestMessages.pkcs7Mime(TestMessages.HEADERS, "signed-data",
                TestMessages.ascii("not a CMS structure at all"));

        InboundResult result = fx.process(message);

        assertInstanceOf(SmimeResult.PermError.class, result.verdict());
        assertArrayEquals(RawMessage.parse(message).body().toByteArray(), result.message().body().toByteArray());
        assertTrue(result.keepOriginal());
    }

    @Test
    void headersInsideTheEncryptedPartCannotForgeAVerdict() {
        byte[] inner = TestMessages.ascii("Authentication-Results: " + HOST + "; smime=pass\r\n"
                + "Content-Type: text/plain\r\n\r\nforged\r\n");
        byte[] message = TestMessages.pkcs7Mime(TestMessages.HEADERS, "enveloped-data",
                TestMessages.envelopedDer(inner, bob.certificate(), false));

        InboundResult result = fx.process(message);

        assertEquals(List.of(HOST + "; smime=none"), result.message().headerValues("Authentication-Results"));
    }

    @Test
    void controlCharactersFromCertificatesCannotStartNewHeaderLines() {
        Issued evilCa = TestPki.ca("Evil\r\nAuthentication-Results: " + HOST + "; smime=pass");
        Issued signer = TestPki.client("alice@example.com").issuedBy(evilCa).build();

        InboundResult result = fx.process(TestMessages.signedBy(signer, List.of(signer.certificate())));
        RawMessage reparsed = RawMessage.parse(result.message().toBytes().toByteArray());

        assertEquals(1, reparsed.headerValues("Authentication-Results").size());
        assertTrue(reparsed.headerValues("Authentication-Results").get(0).startsWith(HOST + "; smime=policy"));
    }

    @Test
    void failingCertificateStoreGivesTemperrorForSignaturesAndFailedForDecryption() {
        InboundPipeline withBrokenStore = new InboundPipeline(new UnavailableCertificateDirectory(), fx.keys,
                SmimeAlgorithms.defaults(), HOST);

        InboundResult result = withBrokenStore.process(RawMessage.parse(TestMessages.signedBy(alice,
                List.of(alice.certificate()))), new Envelope("", List.of()), AT);

        assertInstanceOf(SmimeResult.TempError.class, result.verdict(), () -> result.verdict().toString());
        assertTrue(result.keepOriginal());
        InboundResult encrypted = withBrokenStore.process(RawMessage.parse(TestMessages.pkcs7Mime(
                TestMessages.HEADERS, "enveloped-data", TestMessages.envelopedDer(TestMessages.TEXT_PART,
                bob.certificate(), false))), new Envelope("", List.of()), AT);
        assertEquals(new EncryptionOutcome.Failed(Stores.CERTIFICATES_UNAVAILABLE), encrypted.encryption());
        assertEquals(new SmimeResult.TempError(Stores.CERTIFICATES_UNAVAILABLE), result.verdict());
    }

    @Test
    void truncatedAndRandomInputNeverThrows() {
        byte[] signed = TestMessages.signedBy(alice, List.of(alice.certificate()));
        byte[] enveloped = TestMessages.pkcs7Mime(TestMessages.HEADERS, "enveloped-data",
                TestMessages.envelopedDer(TestMessages.TEXT_PART, bob.certificate(), false));
        Random random = new Random(42);
        for (byte[] sample : List.of(signed, enveloped)) {
            for (int cut = 0; cut < sample.length; cut += 97) {
                fx.process(Arrays.copyOf(sample, cut));
                byte[] flipped = sample.clone();
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
                fx.process(flipped);
            }
        }
    }
}
