package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** The master key file and AES-256-GCM sealing. */
class MasterKeyTest {
    private static final byte[] PLAIN = "not really a key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD = "fingerprint".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void concurrentCreatorsAgreeOnOneKey() throws Exception {
        Path file = dir.resolve("new").resolve("master.key");
        int creators = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(creators);
        List<Future<MasterKey>> keys = new ArrayList<>();
        try {
            for (int i = 0; i < creators; i++) {
                keys.add(executor.submit(() -> {
                    start.await();
                    return MasterKey.loadOrCreate(file);
                }));
            }
            start.countDown();
            MasterKey.Sealed sealed = keys.get(0).get().seal(PLAIN, AAD);
            for (Future<MasterKey> key : keys) {
                assertArrayEquals(PLAIN, key.get().open(sealed, AAD));
            }
        } finally {
            executor.shutdownNow();
        }
        try (Stream<Path> listing = Files.list(file.getParent())) {
            assertEquals(List.of(file), listing.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void sealedDataOpensOnlyWithTheSameAssociatedData() {
        MasterKey key = MasterKey.loadOrCreate(dir.resolve("master.key"));
        MasterKey.Sealed sealed = key.seal(PLAIN, AAD);

        assertThrows(GeneralSecurityException.class,
                () -> key.open(sealed, "another".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void eachSealingUsesAFreshIv() {
        MasterKey key = MasterKey.loadOrCreate(dir.resolve("master.key"));

        MasterKey.Sealed first = key.seal(PLAIN, AAD);
        MasterKey.Sealed second = key.seal(PLAIN, AAD);

        assertEquals(MasterKey.IV_BYTES, first.iv().length);
        assertFalse(Arrays.equals(first.iv(), second.iv()));
        assertFalse(Arrays.equals(first.ciphertext(), second.ciphertext()));
    }

    @Test
    void toStringNamesOnlyTheFile() {
        MasterKey key = MasterKey.loadOrCreate(dir.resolve("master.key"));

        assertEquals("MasterKey[" + dir.resolve("master.key") + "]", key.toString());
    }

    private Path existingKeyWithMode(String mode) throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "file modes are checked on POSIX file systems only");
        Path file = dir.resolve("master.key");
        MasterKey.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @ParameterizedTest
    @CsvSource({"rw-r--r--,0644", "rw-r-----,0640", "rw--w----,0620", "rw----r--,0604", "rw-rw-rw-,0666",
        "r--r--r--,0444"})
    void refusesAMasterKeyFileThatGroupOrOthersMayReadOrWriteNamingFileModeAndFix(String mode, String octal)
            throws Exception {
        Path file = existingKeyWithMode(mode);

        StoreException refused = assertThrows(StoreException.class, () -> MasterKey.loadOrCreate(file));

        String message = refused.getMessage();
        assertTrue(message.contains("master key file " + file), message);
        assertTrue(message.contains("mode " + octal + " (" + mode + ")"), message);
        assertTrue(message.endsWith("run chmod 600 " + file), message);
        assertFalse(message.contains("\n"), message);
    }

    @ParameterizedTest
    @CsvSource({"rw-------", "r--------", "rwx--x--x"})
    void acceptsAMasterKeyFileOnlyItsOwnerMayReadOrWrite(String mode) throws Exception {
        Path file = existingKeyWithMode(mode);
        MasterKey first = MasterKey.loadOrCreate(file);

        MasterKey.Sealed sealed = first.seal(PLAIN, AAD);

        assertArrayEquals(PLAIN, MasterKey.loadOrCreate(file).open(sealed, AAD));
    }

    @Test
    void aNewMasterKeyFileIsPrivateAndAcceptedAgain() throws Exception {
        Path file = dir.resolve("fresh").resolve("master.key");

        MasterKey.loadOrCreate(file);

        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        MasterKey.loadOrCreate(file);
    }
}
