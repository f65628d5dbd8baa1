package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.smimegw.core.inbound.InboundFixture.HOST;
import static org.smimegw.core.inbound.InboundFixture.text;
import static org.smimegw.core.testing.HostileMessages.HEADERS;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.testing.HostileMessages;

/** Messages over a structural limit are delivered as received (less spoofed headers), annotated permerror. */
class InboundLimitsTest {
    private static final String SPOOF = "X-SMIME-Encryption: decrypted; cert=forged\r\n"
            + "Authentication-Results: " + HOST + "; smime=pass\r\n";

    private final InboundFixture fx = new InboundFixture();

    /** The whole delivered message: our two headers, then exactly what was received less {@link #SPOOF}. */
    static void assertDeliveredUnchangedAsPermerror(byte[] received, String reason, InboundResult result) {
        assertEquals(new SmimeResult.PermError(reason), result.verdict());
        String original = new String(received, StandardCharsets.ISO_8859_1).replace(SPOOF, "");
        String expected = "Authentication-Results: " + HOST + "; smime=permerror reason=\"" + reason + "\"\r\n"
                + "X-SMIME-Encryption: " + result.encryption().headerValue() + "\r\n" + original;
        assertEquals(expected, text(result));
    }

    @Test
    void messageNestedDeeperThanTheLimitIsDeliveredUnchangedAsPermerror() {
        byte[] message = HostileMessages.nested(SPOOF + HEADERS, 33);

        InboundResult result = fx.process(message);

        assertDeliveredUnchangedAsPermerror(message, "MIME nesting deeper than 32 levels", result);
        assertEquals(new EncryptionOutcome.NotEncrypted(), result.encryption());
    }

    @Test
    void messageNestedExactlyToTheLimitIsProcessedAsUsual() {
        InboundResult result = fx.process(HostileMessages.nested(HEADERS, 32));

        assertInstanceOf(SmimeResult.None.class, result.verdict());
    }

    @Test
    void embeddedMessagesNestedDeeperThanTheLimitAreDeliveredUnchangedAsPermerror() {
        byte[] message = HostileMessages.nestedMessages(HEADERS, 33);

        assertDeliveredUnchangedAsPermerror(message, "MIME nesting deeper than 32 levels", fx.process(message));
        assertInstanceOf(SmimeResult.None.class, fx.process(HostileMessages.nestedMessages(HEADERS, 32)).verdict());
    }

    @Test
    void multipartWithAHundredThousandPartsIsDeliveredUnchangedAsPermerror() {
        byte[] message = HostileMessages.manyParts(SPOOF + HEADERS, 100_000);

        assertDeliveredUnchangedAsPermerror(message, "more than 10000 MIME parts", fx.process(message));
        assertInstanceOf(SmimeResult.None.class, fx.process(HostileMessages.manyParts(HEADERS, 9_999)).verdict());
    }

    @Test
    void messageWithMoreHeaderFieldsThanTheLimitIsDeliveredUnchangedAsPermerror() {
        // the two spoofed fields are removed before counting: 997 fillers + 4 headers = 1001
        byte[] message = HostileMessages.manyHeaderFields(SPOOF + HEADERS, 997);

        assertDeliveredUnchangedAsPermerror(message, "more than 1000 header fields in one header section",
                fx.process(message));
        assertInstanceOf(SmimeResult.None.class,
                fx.process(HostileMessages.manyHeaderFields(HEADERS, 996)).verdict());
    }

    @Test
    void partWithMoreHeaderFieldsThanTheLimitIsDeliveredUnchangedAsPermerror() {
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            part.append("Content-X-").append(i).append(": x\r\n");
        }
        byte[] message = HostileMessages.ascii(HEADERS + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + part + "\r\nx\r\n--b--\r\n");

        assertDeliveredUnchangedAsPermerror(message, "more than 1000 header fields in one header section",
                fx.process(message));
    }

    @Test
    void headerFieldLongerThanTheLimitIsDeliveredUnchangedAsPermerror() {
        byte[] folded = HostileMessages.ascii(HEADERS + HostileMessages.longField(70_000, true) + "\r\n\r\nx\r\n");
        byte[] oneLine = HostileMessages.ascii(HEADERS + HostileMessages.longField(10 << 20, false) + "\r\n\r\nx\r\n");

        assertDeliveredUnchangedAsPermerror(folded, "header field longer than 65536 octets", fx.process(folded));
        assertDeliveredUnchangedAsPermerror(oneLine, "header field longer than 65536 octets", fx.process(oneLine));
        byte[] atTheLimit = HostileMessages.ascii(HEADERS + HostileMessages.longField(65_536, false) + "\r\n\r\nx\r\n");
        assertInstanceOf(SmimeResult.None.class, fx.process(atTheLimit).verdict());
    }

    @Test
    void headerLinesOverNineHundredNinetyEightOctetsAreDeliveredAsReceivedWithoutPermerror() {
        // received mail is not held to the transport line limit: the MTA accepted it, the helpdesk gets it as is
        byte[] message = HostileMessages.ascii(HEADERS + HostileMessages.longField(5000, false) + "\r\n\r\nx\r\n");

        assertInstanceOf(SmimeResult.None.class, fx.process(message).verdict());
    }

    @Test
    void decryptedContentOverTheLimitIsDeliveredStillEncryptedAsPermerror() {
        byte[] inner = HostileMessages.nested("", 33);
        byte[] message = TestMessages.pkcs7Mime(SPOOF + HEADERS, "enveloped-data",
                TestMessages.envelopedDer(inner, fx.bob.certificate(), false));

        InboundResult result = fx.process(message);

        String reason = "MIME nesting deeper than 32 levels";
        assertDeliveredUnchangedAsPermerror(message, reason, result);
        assertEquals(new EncryptionOutcome.Failed(reason), result.encryption());
    }

    @Test
    void encryptedContentOverTheLimitInsideASignatureIsDeliveredAsReceivedWithFailedDecryption() {
        byte[] enveloped = TestMessages.pkcs7Mime("", "enveloped-data",
                TestMessages.envelopedDer(HostileMessages.nested("", 33), fx.bob.certificate(), false));
        byte[] message = TestMessages.multipartSigned(HEADERS, enveloped, TestMessages.der(TestMessages.sign(
                enveloped, fx.alice, java.util.List.of(fx.alice.certificate()), "SHA256withRSA", false)));

        InboundResult result = fx.process(message);

        String reason = "MIME nesting deeper than 32 levels";
        assertDeliveredUnchangedAsPermerror(message, reason, result);
        assertEquals(new EncryptionOutcome.Failed(reason), result.encryption());
    }

    @Test
    void signedContentOverTheLimitIsDeliveredStillSignedAsPermerror() {
        byte[] message = TestMessages.opaqueSigned(HEADERS, HostileMessages.nested("", 33), fx.alice,
                java.util.List.of(fx.alice.certificate()));

        assertDeliveredUnchangedAsPermerror(message, "MIME nesting deeper than 32 levels", fx.process(message));
    }

    @Test
    void everyLimitHasAFixedReasonNamingItsValue() {
        MessageLimits limits = MessageLimits.DEFAULTS;
        for (MessageLimits.Limit limit : MessageLimits.Limit.values()) {
            String reason = limits.reason(limit);
            assertEquals(reason, HeaderText.clean(reason), "reason must be header-safe: " + reason);
        }
        assertEquals("more than 8 SignerInfos", limits.reason(MessageLimits.Limit.SIGNERS));
    }
}
