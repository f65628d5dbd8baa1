package org.smimegw.core.mime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Collects bytes in memory up to its {@link SpoolArea}'s memory limit, then in a file in the area's directory
 * (ADR 10). {@link #toBytes} ends the writing: a small content becomes heap {@link Bytes}; a large one is mapped
 * read-only (or, over the area's mapped limit, read onto the heap) and its file unlinked at once, so nothing is left
 * behind by a crash after that point. Peak heap therefore does not grow with message size. Not thread-safe; one
 * writer per spool. {@link SpoolArea#open} makes one.
 */
public final class Spool extends OutputStream {
    private static final int FILE_BUFFER = 64 * 1024;

    private final SpoolArea area;
    private final int memoryLimit;
    private byte[] memory = new byte[512];
    private int count;
    private Path file;
    private OutputStream fileOut;
    private long fileSize;
    private boolean finished;
    private Bytes result;

    Spool(SpoolArea area) {
        this.area = area;
        this.memoryLimit = area.settings().memoryLimit();
    }

    /** Writes to a stream. */
    @FunctionalInterface
    public interface Writer<E extends Exception> {
        void writeTo(OutputStream out) throws IOException, E;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (fileOut != null) {
            fileOut.write(b);
            fileSize++;
            return;
        }
        if (count + 1 > memoryLimit) {
            spillToFile();
            write(b);
            return;
        }
        if (count == memory.length) {
            memory = Arrays.copyOf(memory, Math.min(memoryLimit, Math.max(2 * memory.length, 512)));
        }
        memory[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen();
        if (fileOut == null && (long) count + length > memoryLimit) {
            spillToFile();
        }
        if (fileOut != null) {
            fileOut.write(bytes, offset, length);
            fileSize += length;
            return;
        }
        if (count + length > memory.length) {
            int wanted = (int) Math.min(memoryLimit, Math.max(2L * memory.length, (long) count + length));
            memory = Arrays.copyOf(memory, wanted);
        }
        System.arraycopy(bytes, offset, memory, count, length);
        count += length;
    }

    /** The bytes written; the spool takes no more. Calling it twice gives the same content. */
    public Bytes toBytes() throws IOException {
        if (result == null) {
            finished = true;
            if (fileOut != null) {
                fileOut.close();
            }
            result = file == null ? Bytes.heap(area, memory, 0, count) : adoptFile();
        }
        return result;
    }

    /** Flushes a file-backed spool; the spool stays open (a wrapping encoder's close must not end it). */
    @Override
    public void close() throws IOException {
        if (fileOut != null && !finished) {
            fileOut.flush();
        }
    }

    /** Removes the spool file, if any and not yet mapped; for failure paths. Idempotent. */
    public void discard() {
        if (file == null) {
            return;
        }
        try {
            if (fileOut != null && !finished) {
                fileOut.close();
            }
        } catch (IOException ignored) {
            // the file is removed below anyway
        }
        finished = true;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover in the spool directory; removed at the next start (SpoolArea.removeLeftovers)
        }
    }

    private void ensureOpen() throws IOException {
        if (finished) {
            throw new IOException("spool already finished");
        }
    }

    private void spillToFile() throws IOException {
        file = area.newFile();
        fileOut = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), FILE_BUFFER);
        fileOut.write(memory, 0, count);
        fileSize = count;
        memory = null;
        count = 0;
    }

    private Bytes adoptFile() throws IOException {
        if (fileSize > Integer.MAX_VALUE) {
            discard();
            throw new IOException("content of " + fileSize + " bytes is over the 2 GiB a message may have");
        }
        Path adopted = file;
        file = null;
        return area.adopt(adopted, (int) fileSize);
    }
}
