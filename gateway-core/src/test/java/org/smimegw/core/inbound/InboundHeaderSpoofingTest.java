package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.smimegw.core.inbound.InboundFixture.HOST;
import static org.smimegw.core.inbound.InboundFixture.text;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.RawMessage;

/**
 * A sender pre-sets our verdict headers in every spelling a lenient reader downstream would still take for ours:
 * folded, in any case, with white space before the colon, at the top or inside the decrypted or unwrapped entity.
 * Only the headers this gateway writes may remain.
 */
class InboundHeaderSpoofingTest {
    private static final String FORGED = "AUTHENTICATION-RESULTS:\r\n\tgw.example.org;\r\n smime=pass\r\n"
            + "Authentication-Results : gw.example.org; smime=pass\r\n"
            + "authentication-results:(forged)\"GW.EXAMPLE.ORG\"; smime=pass\r\n"
            + "x-Smime-Encryption:\r\n decrypted; cert=00forged\r\n"
            + "X-SMIME-Encryption\t: decrypted; cert=00forged\r\n"
            + "X-Smime-Sign: yes\r\n";

    private final InboundFixture fx = new InboundFixture();

    /** The result as a reader downstream sees it: parsed again from the bytes we deliver. */
    private static void assertOnlyOurHeaders(InboundResult result, String verdict, String encryption) {
        RawMessage delivered = RawMessage.parse(result.message().toBytes().toByteArray());
        assertEquals(List.of(HOST + "; " + verdict), delivered.headerValues("Authentication-Results"));
        assertEquals(List.of(encryption), delivered.headerValues("X-SMIME-Encryption"));
        assertEquals(List.of(), delivered.headerValues("X-SMIME-Sign"));
        assertFalse(text(result).contains("smime=pass"), text(result));
        assertFalse(text(result).contains("00forged"), text(result));
    }

    @Test
    void foldedMixedCaseAndSpacedForgeriesAtTheTopAreRemoved() {
        byte[] message = TestMessages.ascii(FORGED + TestMessages.HEADERS + "\r\nplain text\r\n");

        assertOnlyOurHeaders(fx.process(message), "smime=none", "none");
    }

    @Test
    void forgeriesInsideTheDecryptedEntityAreRemoved() {
        byte[] inner = TestMessages.ascii("Content-Type: text/plain\r\n" + FORGED + "\r\nsecret text\r\n");
        byte[] message = TestMessages.pkcs7Mime(TestMessages.HEADERS, "enveloped-data",
                TestMessages.envelopedDer(inner, fx.bob.certificate(), false));

        InboundResult result = fx.process(message);

        assertOnlyOurHeaders(result, "smime=none", "decrypted; cert=" + fx.bobFingerprint);
        assertEquals("text/plain", result.message().header("Content-Type").orElseThrow());
    }

    @Test
    void forgeriesInsideOpaqueSignedContentAreRemoved() {
        byte[] inner = TestMessages.ascii("Content-Type: text/plain\r\n" + FORGED + "\r\nsigned text\r\n");
        byte[] message = TestMessages.opaqueSigned(TestMessages.HEADERS, inner, fx.alice,
                List.of(fx.alice.certificate()));

        InboundResult result = fx.process(message);

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        RawMessage delivered = RawMessage.parse(result.message().toBytes().toByteArray());
        assertEquals(1, delivered.headerValues("Authentication-Results").size());
        assertEquals(List.of("none"), delivered.headerValues("X-SMIME-Encryption"));
        assertFalse(text(result).contains("00forged"), text(result));
    }

    @Test
    void forgeriesInsideTheEntityOfAnEncryptedSignedMessageAreRemoved() {
        byte[] signedEntity = TestMessages.signedBy("", fx.alice, List.of(fx.alice.certificate()));
        byte[] inner = TestMessages.concat(TestMessages.ascii(FORGED), signedEntity);
        byte[] message = TestMessages.pkcs7Mime(TestMessages.HEADERS, "enveloped-data",
                TestMessages.envelopedDer(inner, fx.bob.certificate(), false));

        InboundResult result = fx.process(message);

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        RawMessage delivered = RawMessage.parse(result.message().toBytes().toByteArray());
        assertEquals(1, delivered.headerValues("Authentication-Results").size());
        assertEquals(List.of("decrypted; cert=" + fx.bobFingerprint), delivered.headerValues("X-SMIME-Encryption"));
    }
}
