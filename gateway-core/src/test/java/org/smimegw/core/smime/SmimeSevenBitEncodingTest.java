package org.smimegw.core.smime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import jakarta.mail.internet.MimeUtility;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.LineEndings;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.mime.TransferEncodings;

/** The 7bit preparation that precedes signing (named Smime* so the engine's test filter runs it). */
class SmimeSevenBitEncodingTest {

    private static byte[] decode(byte[] encoded, String encoding) throws Exception {
        try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(encoded), encoding)) {
            return in.readAllBytes();
        }
    }

    private static RawMessage entity(String text) {
        return RawMessage.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void quotedPrintableDecodesToTheSameBytesForRandomText() throws Exception {
        Random random = new Random(7);
        String alphabet = "abc =\t.F-ä€\n";
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(400);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (random.nextBoolean()) {
                text.insert(0, "From ");
            }
            byte[] data = LineEndings.toCrlf(text.toString().getBytes(StandardCharsets.UTF_8));
            byte[] encoded = TransferEncodings.quotedPrintable(Bytes.of(data)).toByteArray();

            assertTrue(TransferEncodings.isSevenBitClean(Bytes.of(encoded)));
            for (String line : new String(encoded, StandardCharsets.US_ASCII).split("\r\n", -1)) {
                assertTrue(line.length() <= 76, line);
                assertTrue(!line.endsWith(" ") && !line.endsWith("\t"), "trailing whitespace: [" + line + "]");
                assertTrue(!line.startsWith("From "), line);
            }
            assertArrayEquals(data, decode(encoded, "quoted-printable"), text.toString());
        }
    }

    @Test
    void base64DecodesToTheSameBytesInShortLines() throws Exception {
        byte[] data = new byte[5000];
        new Random(3).nextBytes(data);
        byte[] encoded = TransferEncodings.base64(Bytes.of(data)).toByteArray();
        for (String line : new String(encoded, StandardCharsets.US_ASCII).split("\r\n")) {
            assertTrue(line.length() <= 76);
        }
        assertArrayEquals(data, decode(encoded, "base64"));
    }

    @Test
    void leavesASevenBitEntityAsTheSameInstance() {
        RawMessage plain = entity("Content-Type: text/plain\r\n\r\nascii only\r\n");
        assertSame(plain, SevenBitEncoder.encode(plain));
    }

    @Test
    void leavesANestedSignatureUntouchedEvenWithEightBitInside() {
        String signed = "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=s\r\n"
                + "\r\n--s\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n--s\r\n"
                + "Content-Type: application/pkcs7-signature\r\n\r\nAAAA\r\n--s--\r\n";
        RawMessage mixed = entity("Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\n" + signed + "\r\n--m--\r\n");
        assertSame(mixed, SevenBitEncoder.encode(mixed));
    }

    @Test
    void recognisesDelimitersWithTransportPaddingAndNestedMultiparts() throws Exception {
        RawMessage message = entity("Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
                + "--outer  \r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
                + "--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nnaïve\r\n"
                + "--inner\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "<p>café</p>\r\n--inner--\r\n"
                + "\r\n--outer--\t\r\n");
        RawMessage encoded = SevenBitEncoder.encode(message);

        byte[] bytes = encoded.toBytes().toByteArray();
        String text = new String(bytes, StandardCharsets.US_ASCII);
        assertTrue(TransferEncodings.isSevenBitClean(Bytes.of(bytes)));
        assertTrue(text.contains("--outer  \r\n") && text.endsWith("\r\n--outer--\t\r\n"), text);
        assertEquals(2, CmsTestReader.decodedLeaves(bytes).size());
        assertEquals("naïve", new String(CmsTestReader.decodedLeaves(bytes).get(0), StandardCharsets.UTF_8));
        assertEquals("<p>café</p>", new String(CmsTestReader.decodedLeaves(bytes).get(1), StandardCharsets.UTF_8));
    }

    @Test
    void base64EncodesAnEmbeddedMessageWhoseHeadersAreEightBit() throws Exception {
        RawMessage message = entity("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Subject: Grüße\r\n\r\nhello\r\n");
        RawMessage encoded = SevenBitEncoder.encode(message);

        assertEquals("base64", encoded.header("Content-Transfer-Encoding").orElseThrow());
        assertArrayEquals(message.body().toByteArray(), decode(encoded.body().toByteArray(), "base64"));
    }

    @Test
    void replacesAnExistingTransferEncodingFieldInPlace() {
        RawMessage message = entity("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding:\r\n"
                + " binary\r\nContent-Disposition: attachment\r\n\r\n\u0000\u0001\r\n");
        RawMessage encoded = SevenBitEncoder.encode(message);

        assertEquals("Content-Transfer-Encoding: base64", encoded.headers().get(1).raw());
        assertEquals("Content-Disposition", encoded.headers().get(2).name());
        assertEquals(3, encoded.headers().size());
    }

    @Test
    void quotesSevenBitTextWithTrailingWhitespaceOrFromLines() throws Exception {
        for (String body : new String[] {"trailing space \r\nnext\r\n", "tab\t\r\n", "x\r\nFrom here on\r\n"}) {
            RawMessage encoded = SevenBitEncoder.encode(entity("Content-Type: text/plain\r\n\r\n" + body));

            assertEquals("quoted-printable", encoded.header("Content-Transfer-Encoding").orElseThrow(), body);
            assertEquals(body, new String(decode(encoded.body().toByteArray(), "quoted-printable"), StandardCharsets.US_ASCII));
        }
        RawMessage attachment = entity("Content-Type: application/octet-stream\r\n\r\nFrom x \r\n");
        assertSame(attachment, SevenBitEncoder.encode(attachment), "only text is re-encoded for fragility");
    }

    @Test
    void labelsEightBitUtf8TextWithoutCharsetAsUtf8() {
        RawMessage unlabelled = SevenBitEncoder.encode(entity("Content-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n"));
        assertEquals("text/plain; charset=utf-8", unlabelled.header("Content-Type").orElseThrow());

        RawMessage declared = SevenBitEncoder.encode(
                entity("Content-Type: text/plain; charset=iso-8859-15\r\n\r\nGrüße\r\n"));
        assertEquals("text/plain; charset=iso-8859-15", declared.header("Content-Type").orElseThrow());

        RawMessage latin1 = SevenBitEncoder.encode(RawMessage.parse(
                "Content-Type: text/plain\r\n\r\nGr\u00fc\u00dfe\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("text/plain", latin1.header("Content-Type").orElseThrow(), "not UTF-8: no charset is guessed");
    }
}
