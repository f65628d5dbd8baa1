package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
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
}
