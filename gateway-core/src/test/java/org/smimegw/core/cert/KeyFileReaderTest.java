package org.smimegw.core.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Security;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyUsage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestData;
import org.smimegw.core.testing.TestPki;

class KeyFileReaderTest {
    @TempDir
    Path dir;
    private Openssl openssl;
    private TestPki.Issued identity;

    @BeforeEach
    void setUp() {
        openssl = new Openssl(dir);
        identity = TestPki.client("alice@example.org").build();
        TestPki.writePem(dir.resolve("alice.pem"), identity.certificate());
        TestPki.writePem(dir.resolve("alice.key"), identity.key());
    }

    private KeyFileReader.KeyFile read(Path file, String password) throws Exception {
        return KeyFileReader.read(Files.readAllBytes(file), password == null ? null : password.toCharArray());
    }

    private String refusal(Path file, String password) {
        return assertThrows(CertificateFileException.class, () -> read(file, password)).getMessage();
    }

    private Path pkcs12(String name, String... options) throws Exception {
        return opensslPkcs12("alice", name, "secret", options);
    }

    /** A PKCS#12 file of {@code identity.pem} and {@code identity.key}, made by openssl. */
    private Path opensslPkcs12(String identity, String name, String password, String... options) throws Exception {
        String[] args = {"pkcs12", "-export", "-in", identity + ".pem", "-inkey", identity + ".key", "-out", name,
            "-passout", "pass:" + password};
        String[] all = Arrays.copyOf(args, args.length + options.length);
        System.arraycopy(options, 0, all, args.length, options.length);
        openssl.run(all).assertSuccess();
        return dir.resolve(name);
    }

    private void assertHoldsAlice(KeyFileReader.KeyFile file) {
        assertEquals(1, file.keys().size());
        assertEquals(identity.key(), file.keys().get(0));
        assertEquals(identity.certificate(), file.certificates().get(0));
    }

    @Test
    void readsBothKeysOfAnRfc9216Pkcs12WhoseMacOmitsNullParameters() throws Exception {
        KeyFileReader.KeyFile file = read(TestData.file("rfc9216/alice.p12"), "alice");

        assertEquals(2, file.keys().size());
        assertNotEquals(file.keys().get(0), file.keys().get(1), "a signing and a decryption key");
        assertTrue(file.certificates().size() >= 2, file.toString());
    }

    @Test
    void readsPkcs12InAFreshJvmWhereBouncyCastleIsNotYetRegistered() throws Exception {
        Security.removeProvider(SmimeAlgorithms.BC);

        assertEquals(2, read(TestData.file("rfc9216/alice.p12"), "alice").keys().size());
    }

    @Test
    void readsLegacyPbeThunderbirdPkcs12() throws Exception {
        KeyFileReader.KeyFile file = read(TestData.file("thunderbird/smime/Alice.p12"), "nss");

        assertEquals(1, file.keys().size());
    }

    @Test
    void readsModernPbes2Pkcs12MadeByOpenssl() throws Exception {
        assertHoldsAlice(read(pkcs12("aes.p12"), "secret"));
    }

    @Test
    void readsLegacyRc2And3desPkcs12MadeByOpenssl() throws Exception {
        assertHoldsAlice(read(pkcs12("legacy.p12", "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-RC2-40",
                "-macalg", "sha1", "-legacy"), "secret"));
    }

    @Test
    void readsPkcs12WithoutMac() throws Exception {
        assertHoldsAlice(read(pkcs12("nomac.p12", "-nomac"), "secret"));
    }

    @Test
    void wrongPkcs12PasswordIsNamed() throws Exception {
        assertEquals("wrong password for the PKCS#12 file", refusal(TestData.file("rfc9216/bob.p12"), "alice"));
    }

    @Test
    void missingPkcs12PasswordIsNamed() throws Exception {
        assertTrue(refusal(pkcs12("aes.p12"), null).contains("needs a password"));
    }

    @Test
    void readsEncryptedPkcs8PemAndRefusesWrongAndMissingPasswords() throws Exception {
        openssl.run("pkcs8", "-topk8", "-in", "alice.key", "-out", "enc.key", "-v2", "aes-256-cbc",
                "-passout", "pass:pem-secret").assertSuccess();
        Path key = dir.resolve("enc.key");

        assertEquals(identity.key(), read(key, "pem-secret").keys().get(0));
        assertTrue(refusal(key, "wrong").startsWith("wrong password"));
        assertTrue(refusal(key, null).contains("--password-env"));
    }

    @Test
    void readsPemHoldingKeyAndCertificate() throws Exception {
        Path both = dir.resolve("both.pem");
        Files.write(both, (Files.readString(dir.resolve("alice.key")) + Files.readString(dir.resolve("alice.pem")))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertHoldsAlice(read(both, null));
    }

    @Test
    void refusesPemWithOnlyACertificate() {
        assertEquals("no private key found in the PEM file", refusal(dir.resolve("alice.pem"), null));
    }

    @Test
    void refusesGarbageAndTruncatedPkcs12WithoutException() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.p12"), new byte[] {1, 2, 3, 4});
        byte[] p12 = Files.readAllBytes(pkcs12("aes.p12"));
        Path truncated = Files.write(dir.resolve("truncated.p12"), Arrays.copyOf(p12, p12.length / 2));

        assertTrue(refusal(garbage, "secret").startsWith("not a PKCS#12 file"));
        assertTrue(refusal(truncated, "secret").startsWith("not a PKCS#12 file"));
    }

    @Test
    void readsEcKeyFromPkcs8Sec1AndPkcs12AsAStandardEcKey() throws Exception {
        TestPki.Issued ec = TestPki.client("ec@example.org").ec()
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement).build();
        TestPki.writePem(dir.resolve("ec.pem"), ec.certificate());
        TestPki.writePem(dir.resolve("ec.key"), ec.key());
        openssl.run("ec", "-in", "ec.key", "-out", "ec-sec1.key").assertSuccess();
        assertTrue(Files.readString(dir.resolve("ec-sec1.key")).contains("BEGIN EC PRIVATE KEY"));

        for (KeyFileReader.KeyFile file : List.of(read(dir.resolve("ec.key"), null),
                read(dir.resolve("ec-sec1.key"), null), read(opensslPkcs12("ec", "ec.p12", "secret"), "secret"))) {
            PrivateKey key = file.keys().get(0);
            assertEquals("EC", key.getAlgorithm());
            assertEquals(jdkKeyClass("EC", key), key.getClass());
            assertEquals(((ECPrivateKey) ec.key()).getS(), assertInstanceOf(ECPrivateKey.class, key).getS());
            assertTrue(KeyMatcher.matches(key, ec.certificate()));
        }
    }

    @Test
    void readsRsaKeyAsTheJdkKeyFactoryBuildsIt() throws Exception {
        PrivateKey key = read(dir.resolve("alice.key"), null).keys().get(0);

        assertEquals("RSA", key.getAlgorithm());
        assertEquals(jdkKeyClass("RSA", key), key.getClass());
    }

    private static Class<?> jdkKeyClass(String algorithm, PrivateKey key) throws Exception {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded())).getClass();
    }

    @Test
    void readsPkcs12MadeByOpensslWithAnEmptyPassword() throws Exception {
        Path modern = opensslPkcs12("alice", "empty.p12", "");
        Path legacy = opensslPkcs12("alice", "empty-legacy.p12", "", "-keypbe", "PBE-SHA1-3DES", "-certpbe",
                "PBE-SHA1-RC2-40", "-macalg", "sha1", "-legacy");

        for (Path file : List.of(modern, legacy)) {
            assertHoldsAlice(read(file, ""));
            assertHoldsAlice(read(file, null));
            assertEquals("wrong password for the PKCS#12 file", refusal(file, "secret"));
        }
    }

    @Test
    void readsPkcs12WithoutMacAndWithAnEmptyPassword() throws Exception {
        assertHoldsAlice(read(opensslPkcs12("alice", "empty-nomac.p12", "", "-nomac", "-keypbe", "PBE-SHA1-3DES",
                "-certpbe", "PBE-SHA1-RC2-40", "-legacy"), null));
    }
}
