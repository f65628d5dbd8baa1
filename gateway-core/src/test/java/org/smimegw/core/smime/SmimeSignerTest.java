package org.smimegw.core.smime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Random;

import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMEAttributes;
import org.bouncycastle.asn1.smime.SMIMECapabilities;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.mime.TransferEncodings;
import org.smimegw.core.testing.TestPki;

class SmimeSignerTest {
    static final Instant SIGNING_TIME = Instant.parse("2026-06-01T12:00:00Z");
    static final TestPki.Issued CA = TestPki.ca("Test Root");
    static final TestPki.Issued ALICE = TestPki.client("alice@example.org").issuedBy(CA).build();
    static final SigningIdentity IDENTITY = new SigningIdentity(ALICE.certificate(), ALICE.key(), List.of(CA.certificate()));
    static final String UMLAUTS = "Grüße, Ärger – naïve café";

    private final SmimeSigner signer = new SmimeSigner(SmimeAlgorithms.defaults());

    static RawMessage message(String headers, byte[] body) {
        byte[] head = (headers.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(body);
        return RawMessage.parse(out.toByteArray());
    }

    static RawMessage textMessage(String contentHeaders, String text) {
        return message("From: alice@example.org\nTo: bob@example.com\nSubject: test\n" + contentHeaders,
                text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Serialises and parses again, as a relay that re-encodes nothing would pass it on, and verifies. */
    static CmsTestReader.Verified verifyAfterTransport(RawMessage signed) throws Exception {
        RawMessage received = RawMessage.parse(signed.toBytes().toByteArray());
        CmsTestReader.SignedParts parts = CmsTestReader.split(received);
        return CmsTestReader.verifyDetached(parts.content(), parts.signature());
    }

    static byte[] binary(int length) {
        byte[] data = new byte[length];
        new Random(42).nextBytes(data);
        for (int i = 0; i < data.length; i++) {
            // RawMessage stores canonical CRLF, so keep line-break octets out of the "binary" fixture
            if (data[i] == '\r' || data[i] == '\n') {
                data[i] = 0;
            }
        }
        return data;
    }

    @Test
    void signsDetachedMultipartSignedThatBouncyCastleVerifies() throws Exception {
        RawMessage message = textMessage("Content-Type: text/plain; charset=us-ascii\n", "Hello Bob\n");
        RawMessage signed = signer.sign(message, IDENTITY, SIGNING_TIME);

        String contentType = signed.header("Content-Type").orElseThrow();
        assertTrue(contentType.startsWith("multipart/signed;"), contentType);
        assertTrue(contentType.contains("protocol=\"application/pkcs7-signature\""), contentType);
        assertTrue(contentType.contains("micalg=sha-256"), contentType);
        CmsTestReader.Verified verified = verifyAfterTransport(signed);
        assertEquals(ALICE.certificate(), verified.certificate());
        assertEquals(NISTObjectIdentifiers.id_sha256.getId(), verified.signer().getDigestAlgOID());
        assertEquals(PKCSObjectIdentifiers.rsaEncryption.getId(), verified.signer().getEncryptionAlgOID());
    }

    @Test
    void keepsMessageHeadersAndAddsMimeVersion() {
        RawMessage message = textMessage("", "Hello\n");
        RawMessage signed = signer.sign(message, IDENTITY, SIGNING_TIME);

        assertEquals(List.of("From", "To", "Subject", "MIME-Version", "Content-Type"),
                signed.headers().stream().map(h -> h.name()).toList());
        assertEquals(message.headers().subList(0, 3), signed.headers().subList(0, 3));
        assertEquals("1.0", signed.header("MIME-Version").orElseThrow());
    }

    @Test
    void doesNotDuplicateAnExistingMimeVersion() {
        RawMessage message = textMessage("MIME-Version: 1.0\nContent-Type: text/plain\n", "Hello\n");
        RawMessage signed = signer.sign(message, IDENTITY, SIGNING_TIME);
        assertEquals(1, signed.headerValues("MIME-Version").size());
    }

    @Test
    void keepsSevenBitEntityByteIdenticalInsideTheSignedPart() throws Exception {
        String body = "--b1\nContent-Type: text/plain; charset=us-ascii\n\nplain = ascii\n--b1\n"
                + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAECAwQ=\n--b1--\n";
        RawMessage message = textMessage("Content-Type: multipart/mixed;\n\tboundary=\"b1\"\n", "preamble\n" + body
                + "epilogue\n");
        RawMessage signed = signer.sign(message, IDENTITY, SIGNING_TIME);

        CmsTestReader.SignedParts parts = CmsTestReader.split(signed);
        assertArrayEquals(message.entity().toBytes().toByteArray(), parts.content());
        verifyAfterTransport(signed);
    }

    @Test
    void reencodesEightBitTextAsQuotedPrintableWithEqualDecodedContent() throws Exception {
        RawMessage message = textMessage(
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n", UMLAUTS + "\n");
        RawMessage signed = signer.sign(message, IDENTITY, SIGNING_TIME);

        CmsTestReader.SignedParts parts = CmsTestReader.split(signed);
        RawMessage signedPart = RawMessage.parse(parts.content());
        assertEquals("quoted-printable", signedPart.header("Content-Transfer-Encoding").orElseThrow());
        assertTrue(TransferEncodings.isSevenBitClean(signed.toBytes()));
        assertArrayEquals(CmsTestReader.decodedLeaves(message.entity().toBytes().toByteArray()).get(0),
                CmsTestReader.decodedLeaves(parts.content()).get(0));
        assertEquals(UMLAUTS + "\r\n", new String(CmsTestReader.decodedLeaves(parts.content()).get(0),
                StandardCharsets.UTF_8));
        verifyAfterTransport(signed);
    }

    @Test
    void reencodesUnlabelledEightBitTextAndOverlongLines() throws Exception {
        String longLine = "x".repeat(1500);
        RawMessage message = textMessage("Content-Type: text/plain; charset=utf-8\n",
                UMLAUTS + "\n" + longLine + "\nFrom here on\n");
        RawMessage signed = signer.sign(message, IDENTITY, SIGNING_TIME);

        CmsTestReader.SignedParts parts = CmsTestReader.split(signed);
        assertTrue(TransferEncodings.isSevenBitClean(Bytes.of(parts.content())));
        assertFalse(new String(parts.content(), StandardCharsets.US_ASCII).contains("\r\nFrom "));
        assertArrayEquals(message.body().toByteArray(), CmsTestReader.decodedLeaves(parts.content()).get(0));
        verifyAfterTransport(signed);
    }

    @Test
    void reencodesEightBitPartsOfAMultipartAndKeepsTheRestByteForByte() throws Exception {
        byte[] attachment = binary(3000);
        String sevenBitPart = "Content-Type: text/plain; charset=us-ascii\r\n\r\nuntouched\r\n";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("This is a multipart message\r\n--outer\r\n" + sevenBitPart + "--outer\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes((UMLAUTS + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--outer\r\nContent-Type: application/octet-stream; name=data.bin\r\n"
                + "Content-Transfer-Encoding: binary\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(attachment);
        body.writeBytes("\r\n--outer--\r\nepilogue\r\n".getBytes(StandardCharsets.ISO_8859_1));
        RawMessage message = message("From: alice@example.org\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=outer\nContent-Transfer-Encoding: 8bit\n", body.toByteArray());

        RawMessage signed = signer.sign(message, IDENTITY, SIGNING_TIME);

        CmsTestReader.SignedParts parts = CmsTestReader.split(signed);
        String signedText = new String(parts.content(), StandardCharsets.US_ASCII);
        assertTrue(TransferEncodings.isSevenBitClean(Bytes.of(parts.content())));
        assertTrue(signedText.contains("This is a multipart message\r\n--outer\r\n" + sevenBitPart + "--outer\r\n"));
        assertTrue(signedText.endsWith("\r\n--outer--\r\nepilogue\r\n"));
        assertTrue(signedText.startsWith("Content-Type: multipart/mixed; boundary=outer\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"), signedText);
        List<byte[]> before = CmsTestReader.decodedLeaves(message.entity().toBytes().toByteArray());
        List<byte[]> after = CmsTestReader.decodedLeaves(parts.content());
        assertEquals(3, after.size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "part " + i);
        }
        assertArrayEquals(attachment, after.get(2));
        verifyAfterTransport(signed);
    }

    @Test
    void reencodesEightBitContentInsideAnEmbeddedMessage() throws Exception {
        String inner = "From: carol@example.net\r\nSubject: inner\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + UMLAUTS + "\r\n";
        RawMessage message = message("From: alice@example.org\nContent-Type: message/rfc822\n"
                + "Content-Transfer-Encoding: 8bit\n", inner.getBytes(StandardCharsets.UTF_8));

        RawMessage signed = signer.sign(message, IDENTITY, SIGNING_TIME);

        CmsTestReader.SignedParts parts = CmsTestReader.split(signed);
        RawMessage signedPart = RawMessage.parse(parts.content());
        assertEquals("7bit", signedPart.header("Content-Transfer-Encoding").orElseThrow());
        assertTrue(TransferEncodings.isSevenBitClean(Bytes.of(parts.content())));
        assertEquals(UMLAUTS + "\r\n",
                new String(CmsTestReader.decodedLeaves(parts.content()).get(0), StandardCharsets.UTF_8));
        verifyAfterTransport(signed);
    }

    @Test
    void carriesTheRequiredSignedAttributes() throws Exception {
        RawMessage signed = signer.sign(textMessage("", "Hello\n"), IDENTITY, SIGNING_TIME);
        AttributeTable attributes = verifyAfterTransport(signed).signer().getSignedAttributes();

        assertNotNull(attributes.get(CMSAttributes.contentType));
        assertNotNull(attributes.get(CMSAttributes.messageDigest));
        Attribute signingTime = attributes.get(CMSAttributes.signingTime);
        assertEquals(Date.from(SIGNING_TIME), Time.getInstance(signingTime.getAttrValues().getObjectAt(0)).getDate());
        assertTrue(signingTime.getAttrValues().getObjectAt(0) instanceof ASN1UTCTime);
        SMIMECapabilities capabilities = SMIMECapabilities.getInstance(
                attributes.get(SMIMEAttributes.smimeCapabilities).getAttrValues().getObjectAt(0));
        assertEquals(CMSAlgorithm.AES256_GCM,
                ((SMIMECapability) capabilities.getCapabilities(null).get(0))
                        .getCapabilityID());
        assertEquals(4, capabilities.getCapabilities(null).size());
        Attribute preference = attributes.get(SMIMEAttributes.encrypKeyPref);
        IssuerAndSerialNumber issuerAndSerial = IssuerAndSerialNumber.getInstance(
                ASN1TaggedObject.getInstance(preference.getAttrValues().getObjectAt(0))
                        .getBaseObject());
        assertEquals(ALICE.certificate().getSerialNumber(), issuerAndSerial.getSerialNumber().getValue());
    }

    @Test
    void includesTheSignerCertificateAndItsChainOnce() throws Exception {
        SigningIdentity withDuplicate = new SigningIdentity(ALICE.certificate(), ALICE.key(),
                List.of(ALICE.certificate(), CA.certificate()));
        RawMessage signed = signer.sign(textMessage("", "Hello\n"), withDuplicate, SIGNING_TIME);
        assertEquals(List.of(ALICE.certificate(), CA.certificate()), verifyAfterTransport(signed).certificates());
    }

    @Test
    void signsWithEcdsaForAnEcKey() throws Exception {
        TestPki.Issued ec = TestPki.client("ec@example.org").ec().keyUsage(KeyUsage.digitalSignature)
                .issuedBy(CA).build();
        RawMessage signed = signer.sign(textMessage("", "Hello\n"),
                new SigningIdentity(ec.certificate(), ec.key(), List.of(CA.certificate())), SIGNING_TIME);
        CmsTestReader.Verified verified = verifyAfterTransport(signed);
        assertEquals(X9ObjectIdentifiers.ecdsa_with_SHA256.getId(), verified.signer().getEncryptionAlgOID());
    }

    @Test
    void usesSha384AndAnnouncesItInMicalg() throws Exception {
        SmimeSigner sha384 = new SmimeSigner(SmimeAlgorithms.defaults().withDigest(SmimeAlgorithms.Digest.SHA384));
        RawMessage signed = sha384.sign(textMessage("", "Hello\n"), IDENTITY, SIGNING_TIME);
        assertTrue(signed.header("Content-Type").orElseThrow().contains("micalg=sha-384"));
        assertEquals(NISTObjectIdentifiers.id_sha384.getId(), verifyAfterTransport(signed).signer().getDigestAlgOID());
    }

    @Test
    void signsWithRsaPssWhenSelected() throws Exception {
        SmimeAlgorithms pss = new SmimeAlgorithms(SmimeAlgorithms.Digest.SHA256, SmimeAlgorithms.RsaSignature.PSS,
                SmimeAlgorithms.ContentCipher.AES256_CBC, SmimeAlgorithms.KeyTransport.RSA_PKCS1, false);
        RawMessage signed = new SmimeSigner(pss).sign(textMessage("", "Hello\n"), IDENTITY, SIGNING_TIME);
        assertEquals(PKCSObjectIdentifiers.id_RSASSA_PSS.getId(),
                verifyAfterTransport(signed).signer().getEncryptionAlgOID());
    }

    @Test
    void signsOpaqueSignedDataEncapsulatingTheEntity() throws Exception {
        RawMessage message = textMessage(
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n", UMLAUTS + "\n");
        RawMessage signed = signer.signOpaque(message, IDENTITY, SIGNING_TIME);

        assertEquals("application/pkcs7-mime; smime-type=signed-data; name=smime.p7m",
                signed.header("Content-Type").orElseThrow());
        assertEquals("base64", signed.header("Content-Transfer-Encoding").orElseThrow());
        assertEquals("attachment; filename=smime.p7m", signed.header("Content-Disposition").orElseThrow());
        CmsTestReader.Verified verified = CmsTestReader.verifyOpaque(
                CmsTestReader.der(RawMessage.parse(signed.toBytes().toByteArray())));
        assertArrayEquals(message.entity().toBytes().toByteArray(), (byte[]) verified.signedData().getSignedContent().getContent());
    }

    @Test
    void writesTheSignaturePartAsBase64InShortLines() throws Exception {
        RawMessage signed = signer.sign(textMessage("", "Hello\n"), IDENTITY, SIGNING_TIME);
        String body = new String(signed.body().toByteArray(), StandardCharsets.US_ASCII);
        String boundary = CmsTestReader.boundary(signed);
        int signaturePart = body.lastIndexOf("--" + boundary + "\r\n");
        String part = body.substring(signaturePart + boundary.length() + 4);
        assertTrue(part.startsWith("Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7s\r\n\r\n"));
        for (String line : part.split("\r\n")) {
            assertTrue(line.length() <= 76, line);
        }
        assertTrue(body.endsWith("\r\n--" + boundary + "--\r\n"));
    }
}
