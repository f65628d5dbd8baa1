package org.smimegw.core.smime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.SmimeAlgorithms.ContentCipher;
import org.smimegw.core.smime.SmimeAlgorithms.Digest;
import org.smimegw.core.smime.SmimeAlgorithms.KeyTransport;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestPki;

/** The {@code openssl cms} command as an independent S/MIME implementation, in both directions. */
class OpensslInteropTest {
    static final TestPki.Issued CA = TestPki.ca("Interop Root");
    static final TestPki.Issued RSA = TestPki.client("alice@example.org").issuedBy(CA).build();
    static final TestPki.Issued EC = TestPki.client("eve@example.org").ec()
            .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement).issuedBy(CA).build();
    /** Pins openssl's certificate validity check to the test PKI's clock. */
    static final String AT_TIME = Long.toString(TestPki.NOW.getEpochSecond());
    static final String CONTENT = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + SmimeSignerTest.UMLAUTS + "\r\nsecond line\r\n";

    @TempDir
    Path dir;
    Openssl openssl;

    @BeforeEach
    void writeCertificatesAndKeys() throws Exception {
        openssl = new Openssl(dir);
        TestPki.writePem(dir.resolve("ca.pem"), CA.certificate());
        TestPki.writePem(dir.resolve("rsa.pem"), RSA.certificate());
        TestPki.writePem(dir.resolve("rsa.key"), RSA.key());
        TestPki.writePem(dir.resolve("ec.pem"), EC.certificate());
        TestPki.writePem(dir.resolve("ec.key"), EC.key());
    }

    private static RawMessage message() {
        return SmimeSignerTest.message("From: alice@example.org\nTo: bob@example.com\nSubject: interop",
                CONTENT.getBytes(StandardCharsets.UTF_8));
    }

    private static SigningIdentity identity(TestPki.Issued issued) {
        return new SigningIdentity(issued.certificate(), issued.key(), List.of(CA.certificate()));
    }

    // ---- we sign, openssl verifies

    private void opensslVerifies(RawMessage signed, byte[] expectedContent) throws Exception {
        Files.write(dir.resolve("msg.eml"), signed.toBytes().toByteArray());
        Openssl.Result result = openssl.run("cms", "-verify", "-in", "msg.eml", "-CAfile", "ca.pem",
                "-purpose", "any", "-attime", AT_TIME, "-out", "content.out").assertSuccess();
        assertTrue(result.stderr().contains("Verification successful"), result.stderr());
        assertArrayEquals(expectedContent, Files.readAllBytes(dir.resolve("content.out")));
    }

    private void opensslVerifiesDetached(SmimeAlgorithms algorithms, TestPki.Issued signer) throws Exception {
        RawMessage signed = new SmimeSigner(algorithms).sign(message(), identity(signer), TestPki.NOW);
        opensslVerifies(signed, CmsTestReader.split(signed).content());
    }

    @Test
    void opensslVerifiesOurSha256Signature() throws Exception {
        opensslVerifiesDetached(SmimeAlgorithms.defaults(), RSA);
    }

    @Test
    void opensslVerifiesOurSha384Signature() throws Exception {
        opensslVerifiesDetached(SmimeAlgorithms.defaults().withDigest(Digest.SHA384), RSA);
    }

    @Test
    void opensslVerifiesOurSha512Signature() throws Exception {
        opensslVerifiesDetached(SmimeAlgorithms.defaults().withDigest(Digest.SHA512), RSA);
    }

    @Test
    void opensslVerifiesOurEcdsaSignature() throws Exception {
        opensslVerifiesDetached(SmimeAlgorithms.defaults(), EC);
    }

    @Test
    void opensslVerifiesOurRsaPssSignature() throws Exception {
        opensslVerifiesDetached(new SmimeAlgorithms(Digest.SHA256, SmimeAlgorithms.RsaSignature.PSS,
                ContentCipher.AES256_CBC, KeyTransport.RSA_PKCS1, false), RSA);
    }

    @Test
    void opensslVerifiesOurOpaqueSignature() throws Exception {
        RawMessage signed = new SmimeSigner(SmimeAlgorithms.defaults()).signOpaque(message(), identity(RSA),
                TestPki.NOW);
        opensslVerifies(signed, message().entity().toBytes().toByteArray());
    }

    // ---- we encrypt, openssl decrypts

    private void opensslDecrypts(ContentCipher cipher, KeyTransport transport, String recipient) throws Exception {
        TestPki.Issued issued = recipient.equals("ec") ? EC : RSA;
        RawMessage encrypted = new SmimeEncryptor(SmimeAlgorithms.defaults().withContentCipher(cipher)
                .withKeyTransport(transport)).encrypt(message(), List.of(issued.certificate()));
        Files.write(dir.resolve("enc.eml"), encrypted.toBytes().toByteArray());
        openssl.run("cms", "-decrypt", "-in", "enc.eml", "-recip", recipient + ".pem", "-inkey", recipient + ".key",
                "-out", "content.out").assertSuccess();
        assertArrayEquals(message().entity().toBytes().toByteArray(), Files.readAllBytes(dir.resolve("content.out")));
    }

    @Test
    void opensslDecryptsOurAes256CbcWithRsaPkcs1KeyTransport() throws Exception {
        opensslDecrypts(ContentCipher.AES256_CBC, KeyTransport.RSA_PKCS1, "rsa");
    }

    @Test
    void opensslDecryptsOurAes256CbcWithRsaOaepKeyTransport() throws Exception {
        opensslDecrypts(ContentCipher.AES256_CBC, KeyTransport.RSA_OAEP, "rsa");
    }

    @Test
    void opensslDecryptsOurAes256GcmAuthEnvelopedData() throws Exception {
        opensslDecrypts(ContentCipher.AES256_GCM, KeyTransport.RSA_PKCS1, "rsa");
    }

    @Test
    void opensslDecryptsOurEcdhEncryptionToAnEcCertificate() throws Exception {
        opensslDecrypts(ContentCipher.AES256_CBC, KeyTransport.RSA_PKCS1, "ec");
    }

    @Test
    void opensslDecryptsOurAes256GcmWithEcdhToAnEcCertificate() throws Exception {
        opensslDecrypts(ContentCipher.AES256_GCM, KeyTransport.RSA_PKCS1, "ec");
    }

    // ---- openssl signs or encrypts, Bouncy Castle reads

    private CmsTestReader.Verified opensslSignsAndWeVerify(String md, String signer) throws Exception {
        Files.writeString(dir.resolve("content.txt"), CONTENT, StandardCharsets.UTF_8);
        openssl.run("cms", "-sign", "-in", "content.txt", "-signer", signer + ".pem", "-inkey", signer + ".key",
                "-certfile", "ca.pem", "-md", md, "-out", "signed.eml").assertSuccess();
        RawMessage signed = RawMessage.parse(Files.readAllBytes(dir.resolve("signed.eml")));
        assertTrue(signed.header("Content-Type").orElseThrow().startsWith("multipart/signed"));
        CmsTestReader.SignedParts parts = CmsTestReader.split(signed);
        assertArrayEquals(CONTENT.getBytes(StandardCharsets.UTF_8), parts.content());
        return CmsTestReader.verifyDetached(parts.content(), parts.signature());
    }

    @Test
    void weVerifyOpensslSha256Signature() throws Exception {
        assertEquals(NISTObjectIdentifiers.id_sha256.getId(),
                opensslSignsAndWeVerify("sha256", "rsa").signer().getDigestAlgOID());
    }

    @Test
    void weVerifyOpensslSha384Signature() throws Exception {
        assertEquals(NISTObjectIdentifiers.id_sha384.getId(),
                opensslSignsAndWeVerify("sha384", "rsa").signer().getDigestAlgOID());
    }

    @Test
    void weVerifyOpensslSha512Signature() throws Exception {
        assertEquals(NISTObjectIdentifiers.id_sha512.getId(),
                opensslSignsAndWeVerify("sha512", "rsa").signer().getDigestAlgOID());
    }

    @Test
    void weVerifyOpensslEcdsaSignature() throws Exception {
        assertEquals(X9ObjectIdentifiers.ecdsa_with_SHA256.getId(),
                opensslSignsAndWeVerify("sha256", "ec").signer().getEncryptionAlgOID());
    }

    private byte[] opensslEncryptsAndWeDecrypt(TestPki.Issued recipient, String... options) throws Exception {
        Files.writeString(dir.resolve("content.txt"), CONTENT, StandardCharsets.UTF_8);
        String certificate = recipient == EC ? "ec.pem" : "rsa.pem";
        List<String> args = new ArrayList<>(List.of("cms", "-encrypt", "-in", "content.txt",
                "-out", "enc.eml", "-recip", certificate));
        args.addAll(List.of(options));
        openssl.run(args.toArray(String[]::new)).assertSuccess();
        RawMessage encrypted = RawMessage.parse(Files.readAllBytes(dir.resolve("enc.eml")));
        byte[] der = CmsTestReader.der(encrypted);
        byte[] content = CmsTestReader.decrypt(der, recipient.certificate(), recipient.key());
        assertArrayEquals(CONTENT.getBytes(StandardCharsets.UTF_8), content);
        return der;
    }

    @Test
    void weDecryptOpensslAes256Cbc() throws Exception {
        byte[] der = opensslEncryptsAndWeDecrypt(RSA, "-aes-256-cbc");
        assertEquals(CMSObjectIdentifiers.envelopedData, CmsTestReader.contentType(der));
    }

    @Test
    void weDecryptOpensslAes256GcmAuthEnvelopedData() throws Exception {
        byte[] der = opensslEncryptsAndWeDecrypt(RSA, "-aes-256-gcm");
        assertEquals(CMSObjectIdentifiers.authEnvelopedData, CmsTestReader.contentType(der));
    }

    @Test
    void weDecryptOpensslRsaOaepKeyTransport() throws Exception {
        opensslEncryptsAndWeDecrypt(RSA, "-aes-256-cbc", "-keyopt", "rsa_padding_mode:oaep",
                "-keyopt", "rsa_oaep_md:sha256");
    }

    @Test
    void weDecryptOpensslEcdhToAnEcCertificate() throws Exception {
        opensslEncryptsAndWeDecrypt(EC, "-aes-256-cbc");
    }
}
