package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.testing.TestPki;

/** What every {@link PrivateKeyRepository} promises, including encryption at rest under the master key file. */
public interface PrivateKeyRepositoryContract {

    PrivateKeyRepository privateKeys();

    /** The master key file {@link #privateKeys()} uses; it did not exist before the store was opened. */
    Path masterKeyFile();

    /** A repository on the same storage, opened with another master key file. */
    PrivateKeyRepository privateKeysWithMasterKey(Path masterKeyFile);

    /** Every column of the stored row for the fingerprint, as bytes, read directly from the storage. */
    List<byte[]> rawKeyRow(String fingerprint);

    /** Moves the stored row to another fingerprint, directly in the storage (as an attacker with SQL access could). */
    void moveRawKeyRow(String fromFingerprint, String toFingerprint);

    @Test
    default void storedRsaKeyIsReturnedIntact() {
        TestPki.Issued org = TestPki.client("org@example.com").build();
        String fingerprint = Fingerprints.sha256(org.certificate());

        privateKeys().put(fingerprint, org.key());
        PrivateKey found = privateKeys().find(fingerprint).orElseThrow();

        assertEquals("RSA", found.getAlgorithm());
        assertArrayEquals(org.key().getEncoded(), found.getEncoded());
    }

    @Test
    default void storedEcKeyIsReturnedIntact() {
        TestPki.Issued org = TestPki.client("org-ec@example.com").ec().build();
        String fingerprint = Fingerprints.sha256(org.certificate());

        privateKeys().put(fingerprint, org.key());
        PrivateKey found = privateKeys().find(fingerprint.toUpperCase(Locale.ROOT)).orElseThrow();

        assertEquals("EC", found.getAlgorithm());
        assertArrayEquals(org.key().getEncoded(), found.getEncoded());
    }

    @Test
    default void ecKeyNamedEcdsaByBouncyCastleIsReturnedAsAStandardEcKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("ECDSA", new BouncyCastleProvider());
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey ecdsa = generator.generateKeyPair().getPrivate();
        assertEquals("ECDSA", ecdsa.getAlgorithm());
        String fingerprint = "ec".repeat(32);

        privateKeys().put(fingerprint, ecdsa);
        PrivateKey found = privateKeys().find(fingerprint).orElseThrow();

        assertEquals("EC", found.getAlgorithm());
        assertEquals(((ECPrivateKey) ecdsa).getS(), ((ECPrivateKey) found).getS());
    }

    @Test
    default void putReplacesTheKeyOfTheSameCertificate() {
        String fingerprint = "ab".repeat(32);
        PrivateKey first = TestPki.rsaKeyPair().getPrivate();
        PrivateKey second = TestPki.ecKeyPair().getPrivate();

        privateKeys().put(fingerprint, first);
        privateKeys().put(fingerprint, second);

        assertArrayEquals(second.getEncoded(), privateKeys().find(fingerprint).orElseThrow().getEncoded());
        assertEquals(List.of(fingerprint), privateKeys().certificateFingerprints());
    }

    @Test
    default void listsFingerprintsInOrderAndDeletes() {
        String later = "ee".repeat(32);
        String earlier = "11".repeat(32);
        privateKeys().put(later, TestPki.ecKeyPair().getPrivate());
        privateKeys().put(earlier, TestPki.ecKeyPair().getPrivate());

        assertEquals(List.of(earlier, later), privateKeys().certificateFingerprints());
        assertTrue(privateKeys().delete(later));
        assertFalse(privateKeys().delete(later));
        assertTrue(privateKeys().find(later).isEmpty());
        assertEquals(List.of(earlier), privateKeys().certificateFingerprints());
    }

    @Test
    default void unknownFingerprintHasNoKey() {
        assertTrue(privateKeys().find("cd".repeat(32)).isEmpty());
    }

    @Test
    default void keyIsNotStoredInPlain() {
        String fingerprint = "12".repeat(32);
        PrivateKey key = TestPki.rsaKeyPair().getPrivate();
        privateKeys().put(fingerprint, key);

        byte[] pkcs8 = key.getEncoded();
        for (byte[] column : rawKeyRow(fingerprint)) {
            // no 16-byte stretch of the key may appear, raw or as hex or base64 text
            for (int start = 0; start + 16 <= pkcs8.length; start += 16) {
                byte[] piece = Arrays.copyOfRange(pkcs8, start, start + 16);
                assertFalse(contains(column, piece), "column holds plain key bytes at offset " + start);
            }
            String text = new String(column, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(HexFormat.of().formatHex(pkcs8, 0, 16)));
            assertFalse(text.contains(Base64.getEncoder().encodeToString(Arrays.copyOf(pkcs8, 15))));
        }
    }

    @Test
    default void wrongMasterKeyIsRefusedWithoutRevealingTheKey() throws Exception {
        String fingerprint = "34".repeat(32);
        PrivateKey key = TestPki.rsaKeyPair().getPrivate();
        privateKeys().put(fingerprint, key);
        Path other = masterKeyFile().resolveSibling("other-master.key");

        StoreException refused = assertThrows(StoreException.class,
                () -> privateKeysWithMasterKey(other).find(fingerprint));

        String message = refused.getMessage();
        assertTrue(message.contains(fingerprint), message);
        assertTrue(message.contains("master key") && message.contains("does not match"), message);
        assertFalse(message.contains("\n"), message);
        String everything = message + " " + refused.getCause();
        assertFalse(everything.contains(HexFormat.of().formatHex(key.getEncoded()).substring(0, 32)));
        assertFalse(everything.contains(HexFormat.of().formatHex(Files.readAllBytes(masterKeyFile()))));
    }

    @Test
    default void keyMovedToAnotherCertificateDoesNotDecrypt() {
        String fingerprint = "56".repeat(32);
        String elsewhere = "78".repeat(32);
        privateKeys().put(fingerprint, TestPki.ecKeyPair().getPrivate());

        moveRawKeyRow(fingerprint, elsewhere);

        StoreException refused = assertThrows(StoreException.class, () -> privateKeys().find(elsewhere));
        assertTrue(refused.getMessage().contains(elsewhere), refused.getMessage());
    }

    @Test
    default void masterKeyFileIsCreatedWithMode600() throws Exception {
        assertTrue(Files.isRegularFile(masterKeyFile()));
        assertEquals(32, Files.size(masterKeyFile()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(masterKeyFile())));
    }

    @Test
    default void existingMasterKeyFileIsUsedAgain() {
        String fingerprint = "9a".repeat(32);
        PrivateKey key = TestPki.ecKeyPair().getPrivate();
        privateKeys().put(fingerprint, key);

        PrivateKey found = privateKeysWithMasterKey(masterKeyFile()).find(fingerprint).orElseThrow();

        assertArrayEquals(key.getEncoded(), found.getEncoded());
    }

    /** A master key file made by hand must be private, or loading refuses it before looking at its length. */
    private static void ownerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    default void masterKeyFileOfTheWrongLengthIsRefusedNamingTheFile() throws Exception {
        Path bad = masterKeyFile().resolveSibling("short-master.key");
        Files.write(bad, new byte[31]);
        ownerOnly(bad);

        StoreException refused = assertThrows(StoreException.class, () -> privateKeysWithMasterKey(bad));

        assertTrue(refused.getMessage().contains(bad.toString()), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"));
    }

    @Test
    default void refusesKeysOtherThanRsaAndEc() throws Exception {
        PrivateKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();

        assertThrows(IllegalArgumentException.class, () -> privateKeys().put("bc".repeat(32), ed25519));
        assertEquals(List.of(), privateKeys().certificateFingerprints());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
