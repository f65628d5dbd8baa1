package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.smime.CryptoProviders;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestData;

/**
 * The Thunderbird (NSS) corpus with the verdicts of the test resources' {@code corpus/PROVENANCE.md}: TestCA.pem
 * stored as CA, Bob's key available for decryption, time pinned within the certificates' validity.
 */
class InboundCorpusTest {
    private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
    private static final String HOST = "gw.example.org";
    private static final String ALICE_TEXT = "This is a test message from Alice to Bob.";
    private static final String FRAN_TEXT = "This is a test message to Fran.";

    private InMemoryCertificateDirectory directory;
    private InMemoryPrivateKeyRepository keys;
    private InboundPipeline pipeline;
    private String bobFingerprint;

    @BeforeEach
    void storeTestCaAndBobsKey() throws Exception {
        CryptoProviders.installBouncyCastle();
        directory = new InMemoryCertificateDirectory();
        keys = new InMemoryPrivateKeyRepository();
        try (InputStream in = Files.newInputStream(TestData.file("thunderbird/smime/TestCA.pem"))) {
            directory.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in),
                    CertificateKind.CA);
        }
        bobFingerprint = storeKey(TestData.file("thunderbird/smime/Bob.p12"));
        pipeline = new InboundPipeline(directory, keys, SmimeAlgorithms.defaults(), HOST);
    }

    private String storeKey(Path p12) {
        Pkcs12 identity = Pkcs12.load(p12, "nss");
        directory.add(identity.certificate(), CertificateKind.CLIENT);
        String fingerprint = Fingerprints.sha256(identity.certificate());
        keys.put(fingerprint, identity.key());
        return fingerprint;
    }

    private InboundResult process(String relative) throws IOException {
        RawMessage message = RawMessage.parse(Files.readAllBytes(TestData.file(relative)));
        return pipeline.process(message, new Envelope("alice@example.com", List.of("bob@example.com")), AT);
    }

    private static String text(InboundResult result) {
        return new String(result.message().toBytes().toByteArray(), StandardCharsets.ISO_8859_1);
    }

    private static String authResults(InboundResult result) {
        return result.message().headerValues("Authentication-Results").get(0);
    }

    private static void assertPassByAlice(InboundResult result) {
        assertInstanceOf(SmimeResult.Pass.class, result.verdict(), () -> result.verdict().toString());
        String header = authResults(result);
        assertTrue(header.startsWith(HOST + "; smime=pass"), header);
        assertTrue(header.contains("header.from=Alice@example.com"), header);
        assertTrue(header.contains("body.smime-identifier=alice@example.com"), header);
        assertTrue(header.contains("body.smime-issuer=\"CN=NSS Test CA (RSA)"), header);
        assertFalse(result.keepOriginal());
    }

    @Test
    void decryptsMessageEncryptedToBobAndReportsItUnsigned() throws IOException {
        InboundResult result = process("thunderbird/smime/alice.env.eml");

        assertEquals(new EncryptionOutcome.Decrypted(bobFingerprint), result.encryption());
        assertInstanceOf(SmimeResult.None.class, result.verdict());
        assertEquals(HOST + "; smime=none", authResults(result));
        assertEquals("decrypted; cert=" + bobFingerprint, result.message().header("X-SMIME-Encryption").get());
        assertTrue(text(result).contains(ALICE_TEXT));
        assertFalse(result.keepOriginal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA256", "SHA384", "SHA512"})
    void multipartSignedByAliceUnderStoredCaPasses(String digest) throws IOException {
        InboundResult result = process("thunderbird/smime/alice.dsig." + digest + ".multipart.eml");

        assertPassByAlice(result);
        assertEquals("none", result.message().header("X-SMIME-Encryption").get());
        assertTrue(result.message().header("Content-Type").get().startsWith("multipart/signed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA256", "SHA384", "SHA512"})
    void opaqueSignedByAlicePassesAndIsUnwrapped(String digest) throws IOException {
        InboundResult result = process("thunderbird/smime/alice.sig." + digest + ".opaque.eml");

        assertPassByAlice(result);
        assertTrue(result.message().header("Content-Type").get().startsWith("text/plain"));
        assertTrue(text(result).contains(ALICE_TEXT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice.dsig.SHA256.multipart.env.eml", "alice.dsig.SHA384.multipart.env.eml",
        "alice.dsig.SHA512.multipart.env.eml", "alice.sig.SHA256.opaque.env.eml", "alice.sig.SHA512.opaque.env.eml"})
    void encryptedAroundValidSignatureDecryptsAndPasses(String file) throws IOException {
        InboundResult result = process("thunderbird/smime/" + file);

        assertEquals(new EncryptionOutcome.Decrypted(bobFingerprint), result.encryption());
        assertPassByAlice(result);
        assertTrue(text(result).contains(ALICE_TEXT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA256", "SHA384", "SHA512"})
    void bodyModifiedAfterSigningFails(String digest) throws IOException {
        InboundResult result = process("thunderbird/smime/alice.dsig." + digest + ".multipart.bad.eml");

        assertInstanceOf(SmimeResult.Fail.class, result.verdict(), () -> result.verdict().toString());
        assertTrue(authResults(result).startsWith(HOST + "; smime=fail reason="));
        assertTrue(result.keepOriginal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA256", "SHA512"})
    void detachedSignatureEmbeddingDifferentContentFails(String digest) throws IOException {
        InboundResult result = process("thunderbird/smime/alice.dsig." + digest + ".multipart.mismatch-econtent.eml");

        assertInstanceOf(SmimeResult.Fail.class, result.verdict(), () -> result.verdict().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice.dsig.SHA1.multipart.eml", "alice.sig.SHA1.opaque.eml"})
    void sha1SignatureIsRefusedByPolicy(String file) throws IOException {
        InboundResult result = process("thunderbird/smime/" + file);

        assertEquals(new SmimeResult.Policy("SHA-1 signatures are refused", result.verdict().signer().get()),
                result.verdict());
        assertTrue(authResults(result).startsWith(HOST + "; smime=policy reason=\"SHA-1 signatures are refused\""));
        assertTrue(result.keepOriginal());
    }

    @Test
    void opaqueSignedHtmlPasses() throws IOException {
        InboundResult result = process("thunderbird/smime/alice.html.sig.SHA256.opaque.eml");

        assertPassByAlice(result);
        assertEquals(new EncryptionOutcome.NotEncrypted(), result.encryption());
    }

    @Test
    void encryptedOpaqueSignedHtmlDecryptsAndPasses() throws IOException {
        InboundResult result = process("thunderbird/smime/alice.html.sig.SHA256.opaque.env.eml");

        assertEquals(new EncryptionOutcome.Decrypted(bobFingerprint), result.encryption());
        assertPassByAlice(result);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fran-oaep_ossl.env", "fran-oaep-label_ossl.env", "fran-oaep-sha256hash_ossl.env",
        "fran-oaep-sha256hash-sha256mgf_ossl.env"})
    void decryptsOpenSslRsaOaepVariantsWithFransKey(String file) throws IOException {
        String fran = storeKey(TestData.file("thunderbird/smime-interop/Fran.p12"));

        InboundResult result = process("thunderbird/smime-interop/" + file);

        assertEquals(new EncryptionOutcome.Decrypted(fran), result.encryption());
        assertTrue(text(result).contains(FRAN_TEXT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fran-ec_ossl-aes128-sha256.env", "fran-ec_ossl-aes256-sha512.env"})
    void decryptsOpenSslEcdhWithFransEcKey(String file) throws IOException {
        String franEc = storeKey(TestData.file("thunderbird/smime-interop/Fran-ec.p12"));

        InboundResult result = process("thunderbird/smime-interop/" + file);

        assertEquals(new EncryptionOutcome.Decrypted(franEc), result.encryption());
        assertTrue(text(result).contains(FRAN_TEXT));
    }

    @Test
    void messageForFranWithoutFransKeyIsKeptUndecrypted() throws IOException {
        byte[] original = Files.readAllBytes(TestData.file("thunderbird/smime-interop/fran-oaep_ossl.env"));

        InboundResult result = process("thunderbird/smime-interop/fran-oaep_ossl.env");

        assertEquals(new EncryptionOutcome.Failed(Decryptor.NO_KEY), result.encryption());
        assertTrue(result.keepOriginal());
        assertTrue(java.util.Arrays.equals(RawMessage.parse(original).body().toByteArray(), result.message().body().toByteArray()));
    }
}
