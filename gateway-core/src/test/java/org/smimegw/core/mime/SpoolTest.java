package org.smimegw.core.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    private static final int LIMIT = 1000;

    @TempDir
    Path dir;
    private SpoolArea area;

    @BeforeEach
    void smallLimit() {
        area = new SpoolArea(new SpoolSettings(dir, LIMIT));
    }

    @Test
    void smallContentStaysOnTheHeap() throws IOException {
        byte[] data = random(LIMIT);
        Bytes bytes = area.write(out -> out.write(data));
        assertArrayEquals(data, bytes.toByteArray());
        assertFalse(bytes.toString().contains("mapped"), bytes.toString());
        assertEquals(0, spoolFiles());
    }

    @Test
    void largeContentIsMappedFromAFileThatIsAlreadyUnlinked() throws IOException {
        byte[] data = random(10 * LIMIT + 7);
        Bytes bytes = area.write(out -> {
            for (int i = 0; i < data.length; i += 333) {
                out.write(data, i, Math.min(333, data.length - i));
            }
        });
        assertTrue(bytes.toString().contains("mapped"), bytes.toString());
        assertArrayEquals(data, bytes.toByteArray());
        assertEquals(0, spoolFiles(), "the spool file is unlinked once mapped");
    }

    @Test
    void mappedBytesAreCountedUntilCollected() throws Exception {
        long before = area.mappedBytes();
        Bytes bytes = area.write(out -> out.write(random(3 * LIMIT)));
        assertTrue(area.mappedBytes() >= 3 * LIMIT);
        assertEquals(3 * LIMIT, bytes.length());
        bytes = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (area.mappedBytes() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.onSpinWait();
        }
        // mappings of earlier tests may be collected too
        assertTrue(area.mappedBytes() <= before, "the mapping was collected, so its disk space is free");
    }

    @Test
    void overTheMappedLimitAContentIsReadOntoTheHeapAndItsFileDeletedAtOnce() throws IOException {
        SpoolArea bounded = new SpoolArea(new SpoolSettings(dir, LIMIT, 4L * LIMIT));
        byte[] first = random(3 * LIMIT);
        byte[] second = random(2 * LIMIT);

        Bytes mapped = bounded.write(out -> out.write(first));
        Bytes onTheHeap = bounded.write(out -> out.write(second));

        assertEquals(3L * LIMIT, bounded.mappedBytes());
        assertFalse(onTheHeap.toString().contains("mapped"), onTheHeap.toString());
        assertArrayEquals(second, onTheHeap.toByteArray());
        assertEquals(0, spoolFiles());
        assertTrue(mapped.toString().contains("mapped"), mapped.toString());
    }

    @Test
    void whatIsMadeFromAContentIsSpooledInItsArea() throws IOException {
        Bytes bareLineFeeds = area.write(out -> out.write("line\n".repeat(LIMIT).getBytes()));

        Bytes canonical = LineEndings.toCrlf(bareLineFeeds);

        assertEquals(area, canonical.spoolArea());
        assertEquals(area, canonical.slice(1).spoolArea());
        assertTrue(area.mappedBytes() >= bareLineFeeds.length() + canonical.length());
        assertEquals(SpoolArea.DEFAULT, Bytes.of(new byte[] {1}).spoolArea());
    }

    @Test
    void singleByteWritesCrossTheLimit() throws IOException {
        byte[] data = random(LIMIT + 10);
        Bytes bytes = area.write(out -> {
            for (byte b : data) {
                out.write(b);
            }
        });
        assertArrayEquals(data, bytes.toByteArray());
    }

    @Test
    void aFailingWriterLeavesNoFile() {
        assertThrows(IOException.class, () -> area.write(out -> {
            out.write(random(5 * LIMIT));
            throw new IOException("writer failed");
        }));
        assertEquals(0, spoolFiles());
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNamedWithTheReason() throws IOException {
        Path file = Files.write(dir.resolve("a-file"), new byte[] {1});
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> new SpoolArea(new SpoolSettings(file.resolve("spool"), LIMIT)));
        assertEquals("cannot create directory " + file.resolve("spool") + ": Not a directory", e.getMessage());
    }

    @Test
    void leftoversOfADeadProcessAreRemoved() throws IOException {
        Files.write(dir.resolve("spool-123.tmp"), new byte[] {1});
        Files.write(dir.resolve("other.txt"), new byte[] {1});
        assertEquals(1, area.removeLeftovers());
        assertTrue(Files.exists(dir.resolve("other.txt")));
    }

    @Test
    void copyOfStreamAndSlicesAndSearch() throws IOException {
        byte[] data = ("head\r\n\r\n" + "x".repeat(3 * LIMIT) + "--boundary\r\n").getBytes();
        Bytes bytes = area.copyOf(new java.io.ByteArrayInputStream(data));
        assertEquals(data.length, bytes.length());
        assertEquals(4, bytes.indexOfCrlf(0));
        int at = bytes.indexOf("--boundary".getBytes(), 0);
        assertEquals(data.length - 12, at);
        Bytes tail = bytes.slice(at);
        assertTrue(tail.contentEquals("--boundary\r\n".getBytes()));
        assertEquals(-1, bytes.indexOf("--boundary".getBytes(), at + 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bytes.writeTo(out);
        assertArrayEquals(data, out.toByteArray());
        try (InputStream in = bytes.slice(0, 4).openStream()) {
            assertArrayEquals("head".getBytes(), in.readAllBytes());
        }
    }

    private long spoolFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] random(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }
}
