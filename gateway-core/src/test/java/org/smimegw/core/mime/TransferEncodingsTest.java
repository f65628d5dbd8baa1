package org.smimegw.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.limits.MimeStructure;

/** The one reading of a Content-Transfer-Encoding label and the one 7bit test. */
class TransferEncodingsTest {

    private static RawMessage parse(String text) {
        return RawMessage.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void anAbsentOrEmptyLabelIsSevenBit() {
        assertEquals("7bit", parse("Subject: x\r\n\r\n").transferEncoding());
        assertEquals("7bit", parse("Content-Transfer-Encoding:  \r\n\r\n").transferEncoding());
        assertEquals("base64", parse("Content-Transfer-Encoding: BASE64 \r\n\r\n").transferEncoding());
        assertTrue(TransferEncodings.isIdentity("7bit") && TransferEncodings.isIdentity("8bit")
                && TransferEncodings.isIdentity("binary"));
        assertFalse(TransferEncodings.isIdentity("quoted-printable") || TransferEncodings.isIdentity("base64"));
    }

    @Test
    void theLimitCheckWalksAnEmbeddedMessageWithAnEmptyLabelAsTheSevenBitEncoderDoes() {
        String inner = "Subject: inner\r\n\r\nhello\r\n";
        for (int i = 0; i < 3; i++) {
            inner = "Content-Type: message/rfc822\r\nContent-Transfer-Encoding:\r\n\r\n" + inner;
        }
        MessageLimits d = MessageLimits.DEFAULTS;
        MessageLimits twoLevels = new MessageLimits(2, d.mimeParts(), d.headerFields(), d.headerFieldBytes(),
                d.lineBytes(), d.signatureBytes(), d.signers(), d.certificates(), d.chainLength(), d.recipients(),
                d.expansionRatio(), d.expandedBytes());

        assertEquals(Optional.of(Limit.MIME_DEPTH), MimeStructure.check(parse(inner), twoLevels, false));
    }

    @Test
    void aLineOf998OctetsIsSevenBitAndOneOf999IsNot() {
        assertTrue(TransferEncodings.isSevenBitClean(Bytes.of(("x".repeat(998) + "\r\n").getBytes(
                StandardCharsets.US_ASCII))));
        assertFalse(TransferEncodings.isSevenBitClean(Bytes.of(("x".repeat(999) + "\r\n").getBytes(
                StandardCharsets.US_ASCII))));
        assertFalse(TransferEncodings.isSevenBitClean(Bytes.of(new byte[] {'a', 0, 'b'})));
        assertFalse(TransferEncodings.isSevenBitClean(Bytes.of(new byte[] {'a', (byte) 0xc3, (byte) 0xa9})));
    }
}
