package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smimegw.core.inbound.InboundFixture.AT;
import static org.smimegw.core.inbound.InboundFixture.HOST;
import static org.smimegw.core.inbound.InboundFixture.text;
import static org.smimegw.core.inbound.InboundLimitsTest.assertDeliveredUnchangedAsPermerror;
import static org.smimegw.core.inbound.TestMessages.HEADERS;
import static org.smimegw.core.inbound.TestMessages.TEXT;
import static org.smimegw.core.inbound.TestMessages.TEXT_PART;

import java.util.List;
import java.util.Random;

import org.bouncycastle.cms.CMSCompressedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.ZlibCompressor;
import org.junit.jupiter.api.Test;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.testing.HostileMessages;

/** RFC 3274 compressed-data: expanded at the top and inside signed or enveloped layers, within the limits. */
class InboundCompressedTest {
    private static final String EXPANSION =
            "compressed content expands more than 100 times or beyond 52428800 octets";

    private final InboundFixture fx = new InboundFixture();

    static byte[] compressedDer(byte[] content) {
        try {
            return new CMSCompressedDataGenerator().generate(new CMSProcessableByteArray(content), new ZlibCompressor())
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The compressed-data entity (Content-* fields and body) around {@code content}. */
    static byte[] compressedEntity(byte[] content) {
        return TestMessages.pkcs7Mime("", "compressed-data", compressedDer(content));
    }

    @Test
    void compressedMessageIsExpanded() {
        InboundResult result = fx.process(TestMessages.pkcs7Mime(HEADERS, "compressed-data", compressedDer(TEXT_PART)));

        assertInstanceOf(SmimeResult.None.class, result.verdict());
        assertEquals("text/plain; charset=utf-8", result.message().header("Content-Type").get());
        assertTrue(text(result).contains(TEXT));
        assertFalse(result.keepOriginal());
    }

    @Test
    void compressedDataWithoutSmimeTypeIsRecognisedByItsContentType() {
        byte[] message = TestMessages.ascii(HEADERS + "Content-Type: application/pkcs7-mime; name=smime.p7z\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + TestMessages.base64(compressedDer(TEXT_PART)));

        assertTrue(text(fx.process(message)).contains(TEXT));
    }

    @Test
    void signatureAroundCompressedContentIsVerifiedThenExpanded() {
        byte[] message = TestMessages.opaqueSigned(HEADERS, compressedEntity(TEXT_PART), fx.alice,
                List.of(fx.alice.certificate()));

        InboundResult result = fx.process(message);

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        assertEquals("text/plain; charset=utf-8", result.message().header("Content-Type").get());
    }

    @Test
    void compressionAroundASignatureIsExpandedThenVerified() {
        byte[] signed = fx.signedByAlice("");

        InboundResult result = fx.process(TestMessages.pkcs7Mime(HEADERS, "compressed-data", compressedDer(signed)));

        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        assertTrue(result.message().header("Content-Type").get().startsWith("multipart/signed"));
    }

    @Test
    void encryptionAroundCompressedContentIsDecryptedThenExpanded() {
        byte[] message = TestMessages.pkcs7Mime(HEADERS, "enveloped-data",
                TestMessages.envelopedDer(compressedEntity(TEXT_PART), fx.bob.certificate(), false));

        InboundResult result = fx.process(message);

        assertEquals(new EncryptionOutcome.Decrypted(fx.bobFingerprint), result.encryption());
        assertEquals("text/plain; charset=utf-8", result.message().header("Content-Type").get());
    }

    @Test
    void compressionBombIsDeliveredUnchangedAsPermerror() {
        // 4 MiB of zeros compress about 1000 to 1
        byte[] message = TestMessages.pkcs7Mime(HEADERS, "compressed-data", compressedDer(new byte[4 << 20]));

        assertDeliveredUnchangedAsPermerror(message, EXPANSION, fx.process(message));
    }

    @Test
    void compressionBombInsideEncryptionIsDeliveredStillEncryptedAsPermerror() {
        byte[] message = TestMessages.pkcs7Mime(HEADERS, "enveloped-data",
                TestMessages.envelopedDer(compressedEntity(new byte[4 << 20]), fx.bob.certificate(), false));

        InboundResult result = fx.process(message);

        assertDeliveredUnchangedAsPermerror(message, EXPANSION, result);
        assertEquals(new EncryptionOutcome.Failed(EXPANSION), result.encryption());
    }

    @Test
    void expandedContentWithAMillionHeaderFieldsIsDeliveredUnchangedAsPermerror() {
        byte[] fields = HostileMessages.manyHeaderFields("Content-Type: text/plain\r\n", 1_000_000);
        byte[] message = TestMessages.pkcs7Mime(HEADERS, "compressed-data", compressedDer(fields));

        assertDeliveredUnchangedAsPermerror(message, "more than 1000 header fields in one header section",
                fx.process(message));
    }

    @Test
    void expansionBeyondTheAbsoluteCapIsPermerrorWhateverTheRatio() {
        InboundPipeline small = new InboundPipeline(fx.directory, fx.keys, SmimeAlgorithms.defaults(), HOST,
                MessageLimits.DEFAULTS.withExpandedBytes(1000));
        byte[] random = new byte[3000];
        new Random(7).nextBytes(random);
        byte[] message = TestMessages.pkcs7Mime(HEADERS, "compressed-data",
                compressedDer(TestMessages.base64(random).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

        InboundResult result = small.process(RawMessage.parse(message), new Envelope("a@example.com",
                List.of("b@example.com")), AT);

        assertDeliveredUnchangedAsPermerror(message,
                "compressed content expands more than 100 times or beyond 1000 octets", result);
    }

    @Test
    void malformedCompressedDataIsDeliveredUnchangedAsPermerror() {
        byte[] whole = compressedDer(TEXT_PART);
        byte[] der = java.util.Arrays.copyOf(whole, whole.length - 10);
        byte[] message = TestMessages.pkcs7Mime(HEADERS, "compressed-data", der);

        assertDeliveredUnchangedAsPermerror(message, Decompressor.MALFORMED, fx.process(message));
    }

    @Test
    void compressedPartInsideAnUnsignedMultipartIsNotOpened() {
        byte[] message = TestMessages.concat(TestMessages.ascii(HEADERS
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"), compressedEntity(TEXT_PART),
                TestMessages.ascii("\r\n--b--\r\n"));

        InboundResult result = fx.process(message);

        assertInstanceOf(SmimeResult.None.class, result.verdict());
        assertTrue(result.message().header("Content-Type").get().startsWith("multipart/mixed"));
        assertFalse(text(result).contains(TEXT));
    }
}
