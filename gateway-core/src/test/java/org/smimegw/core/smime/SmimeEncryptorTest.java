package org.smimegw.core.smime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.testing.TestPki;

class SmimeEncryptorTest {
    static final TestPki.Issued CA = TestPki.ca("Test Root");
    static final TestPki.Issued BOB = TestPki.client("bob@example.com").issuedBy(CA).build();
    static final TestPki.Issued CAROL = TestPki.client("carol@example.com").issuedBy(CA).build();
    static final TestPki.Issued DAVE_EC = TestPki.client("dave@example.com").ec()
            .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement).issuedBy(CA).build();

    private static RawMessage message() {
        return SmimeSignerTest.textMessage(
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n",
                SmimeSignerTest.UMLAUTS + "\n");
    }

    private static SmimeEncryptor encryptor(SmimeAlgorithms.ContentCipher cipher,
            SmimeAlgorithms.KeyTransport transport) {
        return new SmimeEncryptor(SmimeAlgorithms.defaults().withContentCipher(cipher).withKeyTransport(transport));
    }

    private static byte[] decrypt(RawMessage encrypted, TestPki.Issued recipient) throws Exception {
        byte[] der = CmsTestReader.der(RawMessage.parse(encrypted.toBytes().toByteArray()));
        return CmsTestReader.decrypt(der, recipient.certificate(), recipient.key());
    }

    @Test
    void encryptsWithAes256CbcAndRsaPkcs1ByDefault() throws Exception {
        RawMessage message = message();
        RawMessage encrypted = new SmimeEncryptor(SmimeAlgorithms.defaults())
                .encrypt(message, List.of(BOB.certificate()));

        assertEquals("application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m",
                encrypted.header("Content-Type").orElseThrow());
        assertEquals("base64", encrypted.header("Content-Transfer-Encoding").orElseThrow());
        assertEquals("attachment; filename=smime.p7m", encrypted.header("Content-Disposition").orElseThrow());
        byte[] der = CmsTestReader.der(encrypted);
        assertEquals(CMSObjectIdentifiers.envelopedData, CmsTestReader.contentType(der));
        assertEquals(CMSAlgorithm.AES256_CBC.getId(), CmsTestReader.contentEncryptionOid(der));
        RecipientInformation recipient = CmsTestReader.recipients(der).getRecipients().iterator().next();
        assertEquals(PKCSObjectIdentifiers.rsaEncryption.getId(), recipient.getKeyEncryptionAlgOID());
        assertArrayEquals(message.entity().toBytes().toByteArray(), decrypt(encrypted, BOB));
    }

    @Test
    void keepsMessageHeadersReplacesContentFieldsAndAddsMimeVersion() {
        RawMessage encrypted = new SmimeEncryptor(SmimeAlgorithms.defaults())
                .encrypt(message(), List.of(BOB.certificate()));

        assertEquals(List.of("From", "To", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
                "Content-Disposition"), encrypted.headers().stream().map(h -> h.name()).toList());
        assertEquals(message().headers().subList(0, 3), encrypted.headers().subList(0, 3));
        for (String line : new String(encrypted.body().toByteArray(), StandardCharsets.US_ASCII).split("\r\n")) {
            assertTrue(line.length() <= 76, line);
        }
    }

    @Test
    void wrapsTheContentKeyWithOaepSha256WhenSelected() throws Exception {
        RawMessage encrypted = encryptor(SmimeAlgorithms.ContentCipher.AES256_CBC,
                SmimeAlgorithms.KeyTransport.RSA_OAEP).encrypt(message(), List.of(BOB.certificate()));

        RecipientInformation recipient = CmsTestReader.recipients(CmsTestReader.der(encrypted)).getRecipients()
                .iterator().next();
        assertEquals(PKCSObjectIdentifiers.id_RSAES_OAEP.getId(), recipient.getKeyEncryptionAlgOID());
        assertArrayEquals(message().entity().toBytes().toByteArray(), decrypt(encrypted, BOB));
    }

    @Test
    void writesAuthEnvelopedDataForAesGcm() throws Exception {
        RawMessage encrypted = encryptor(SmimeAlgorithms.ContentCipher.AES256_GCM,
                SmimeAlgorithms.KeyTransport.RSA_PKCS1).encrypt(message(), List.of(BOB.certificate()));

        assertEquals("application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m",
                encrypted.header("Content-Type").orElseThrow());
        byte[] der = CmsTestReader.der(encrypted);
        assertEquals(CMSObjectIdentifiers.authEnvelopedData, CmsTestReader.contentType(der));
        assertEquals(CMSAlgorithm.AES256_GCM.getId(), CmsTestReader.contentEncryptionOid(der));
        assertArrayEquals(message().entity().toBytes().toByteArray(), decrypt(encrypted, BOB));
    }

    @Test
    void rejectsTamperedAuthEnvelopedData() throws Exception {
        RawMessage encrypted = encryptor(SmimeAlgorithms.ContentCipher.AES256_GCM,
                SmimeAlgorithms.KeyTransport.RSA_PKCS1).encrypt(message(), List.of(BOB.certificate()));
        byte[] der = CmsTestReader.der(encrypted);
        // the ciphertext sits just before the 16-byte tag at the end of the structure
        der[der.length - 20] ^= 1;
        assertThrows(Exception.class, () -> CmsTestReader.decrypt(der, BOB.certificate(), BOB.key()));
    }

    @Test
    void agreesKeysWithEcdhForAnEcRecipient() throws Exception {
        RawMessage encrypted = new SmimeEncryptor(SmimeAlgorithms.defaults())
                .encrypt(message(), List.of(DAVE_EC.certificate()));

        RecipientInformation recipient = CmsTestReader.recipients(CmsTestReader.der(encrypted)).getRecipients()
                .iterator().next();
        assertTrue(recipient instanceof KeyAgreeRecipientInformation);
        assertEquals(CMSAlgorithm.ECDH_SHA256KDF.getId(), recipient.getKeyEncryptionAlgOID());
        assertArrayEquals(message().entity().toBytes().toByteArray(), decrypt(encrypted, DAVE_EC));
    }

    @Test
    void agreesKeysWithEcdhUnderAesGcm() throws Exception {
        RawMessage encrypted = encryptor(SmimeAlgorithms.ContentCipher.AES256_GCM,
                SmimeAlgorithms.KeyTransport.RSA_PKCS1).encrypt(message(), List.of(DAVE_EC.certificate()));
        assertArrayEquals(message().entity().toBytes().toByteArray(), decrypt(encrypted, DAVE_EC));
    }

    @Test
    void everyRecipientCanDecryptAndDuplicatesGetOneRecipientInfo() throws Exception {
        RawMessage encrypted = new SmimeEncryptor(SmimeAlgorithms.defaults()).encrypt(message(),
                List.of(BOB.certificate(), CAROL.certificate(), DAVE_EC.certificate(), BOB.certificate()));

        assertEquals(3, CmsTestReader.recipients(CmsTestReader.der(encrypted)).size());
        for (TestPki.Issued recipient : List.of(BOB, CAROL, DAVE_EC)) {
            assertArrayEquals(message().entity().toBytes().toByteArray(), decrypt(encrypted, recipient));
        }
    }

    @Test
    void usesAFreshContentKeyForEveryMessage() {
        SmimeEncryptor encryptor = new SmimeEncryptor(SmimeAlgorithms.defaults());
        RawMessage first = encryptor.encrypt(message(), List.of(BOB.certificate()));
        RawMessage second = encryptor.encrypt(message(), List.of(BOB.certificate()));
        assertFalse(Arrays.equals(first.body().toByteArray(), second.body().toByteArray()));
    }

    @Test
    void refusesAnEmptyRecipientList() {
        SmimeEncryptor encryptor = new SmimeEncryptor(SmimeAlgorithms.defaults());
        assertThrows(IllegalArgumentException.class, () -> encryptor.encrypt(message(), List.of()));
    }

    @Test
    void encryptsASignedMessageWhole() throws Exception {
        RawMessage signed = new SmimeSigner(SmimeAlgorithms.defaults())
                .sign(message(), SmimeSignerTest.IDENTITY, SmimeSignerTest.SIGNING_TIME);
        RawMessage encrypted = new SmimeEncryptor(SmimeAlgorithms.defaults())
                .encrypt(signed, List.of(BOB.certificate()));

        RawMessage inner = RawMessage.parse(decrypt(encrypted, BOB));
        assertTrue(inner.header("Content-Type").orElseThrow().startsWith("multipart/signed"));
        CmsTestReader.SignedParts parts = CmsTestReader.split(inner);
        CmsTestReader.verifyDetached(parts.content(), parts.signature());
    }
}
