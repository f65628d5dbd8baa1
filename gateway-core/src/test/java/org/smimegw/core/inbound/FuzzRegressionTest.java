package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smimegw.core.mime.FromIdentity;

/**
 * Inputs the mutation fuzzer (gateway-bench, docs/fuzzing.md) found, minimised and generated here; each test names
 * what went wrong before the fix.
 */
class FuzzRegressionTest {
    private final InboundFixture fx = new InboundFixture();

    /**
     * Found by {@code from-variants} on a corpus message: {@code From: alice(c)@example.com} passed as Alice's,
     * while jakarta.mail (a helpdesk's reader) shows {@code alice}, and {@code alice(x@evil.test)@example.com}
     * shows {@code x@evil.test} under a pass for Alice.
     */
    @ParameterizedTest
    @ValueSource(strings = {"alice(c)@example.com", "alice(x@evil.test)@example.com", "alice@(c)example.com",
        "alice@example(c).com", "Alice <alice(c)@example.com>", "<(c)alice@example.com>", "<alice@example.com(c)>"})
    void commentInsideTheFromAddressIsPolicyNotPass(String from) {
        String headers = TestMessages.HEADERS.replace("Alice <alice@example.com>", from);

        InboundResult result = fx.process(TestMessages.signedBy(headers, fx.alice, List.of(fx.alice.certificate())));

        assertInstanceOf(SmimeResult.Policy.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(FromIdentity.NOT_ONE_ADDRESS, result.verdict().reason().get());
    }

    /**
     * Found by {@code duplicate-content-type} on a generated signed message: a second Content-Type after the
     * multipart/signed one kept {@code pass}, while a reader that takes the second sees the parts an attacker put
     * in the unsigned preamble.
     */
    @Test
    void secondContentTypeOfferingUnsignedPartsInThePreambleIsPolicyNotPass() {
        String signed = new String(fx.signedByAlice(TestMessages.HEADERS), StandardCharsets.ISO_8859_1);
        String forged = signed.replaceFirst("\r\n\r\n", "\r\nContent-Type: multipart/mixed; boundary=\"evil\""
                + "\r\n\r\n--evil\r\nContent-Type: text/plain\r\n\r\nPay Mallory.\r\n--evil--\r\n");

        InboundResult result = fx.process(forged.getBytes(StandardCharsets.ISO_8859_1));

        assertInstanceOf(SmimeResult.Policy.class, result.verdict(), () -> result.verdict().toString());
        assertEquals("message has 2 Content-Type fields", result.verdict().reason().get());
        assertEquals("alice@example.com", result.verdict().signer().get().identifier());
    }

    @Test
    void secondContentTypeInsideTheEncryptionIsPolicyToo() {
        String signed = new String(fx.signedByAlice(TestMessages.HEADERS), StandardCharsets.ISO_8859_1);
        int body = signed.indexOf("\r\n\r\n");
        String entity = signed.substring(signed.indexOf("Content-Type: multipart/signed"), body)
                + "\r\nContent-Type: text/plain" + signed.substring(body);
        byte[] encrypted = TestMessages.pkcs7Mime(TestMessages.HEADERS, "enveloped-data", TestMessages.envelopedDer(
                entity.getBytes(StandardCharsets.ISO_8859_1), fx.bob.certificate(), false));

        InboundResult result = fx.process(encrypted);

        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), result.encryption());
        assertEquals("message has 2 Content-Type fields", result.verdict().reason().orElse(result.verdict().word()));
    }
}
