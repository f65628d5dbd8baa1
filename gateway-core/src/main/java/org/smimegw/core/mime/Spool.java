package org.smimegw.core.mime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects bytes in memory up to a limit, then in a file in the spool directory (ADR 10). {@link #toBytes} ends the
 * writing: a small content becomes heap {@link Bytes}; a large one is mapped read-only and its file unlinked at
 * once, so the disk space returns when the mapping is collected and nothing is left behind by a crash after that
 * point. Peak heap therefore does not grow with message size. Not thread-safe; one writer per spool.
 */
public final class Spool extends OutputStream {
    /** Below this, a content stays on the heap. */
    public static final int DEFAULT_MEMORY_LIMIT = 1024 * 1024;
    private static final String FILE_PREFIX = "spool-";
    private static final int FILE_BUFFER = 64 * 1024;

    /**
     * Unlinked files stay on disk until their mapping is collected. Above this many mapped bytes a collection is
     * requested (at most once a second), as the JDK does for direct buffers, so that a large heap with little
     * garbage cannot hold gigabytes of deleted spool files.
     */
    static final long MAPPED_BUDGET = 1L << 30;
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong MAPPED = new AtomicLong();
    private static final AtomicLong LAST_COLLECTION = new AtomicLong();

    private static volatile Settings settings = new Settings(null, DEFAULT_MEMORY_LIMIT);

    private record Settings(Path directory, int memoryLimit) {
    }

    private final int memoryLimit;
    private final Path directory;
    private byte[] memory = new byte[512];
    private int count;
    private Path file;
    private OutputStream fileOut;
    private long fileSize;
    private boolean finished;
    private Bytes result;

    /** A spool with the process-wide settings (see {@link #configure}). */
    public Spool() {
        Settings current = settings;
        this.memoryLimit = current.memoryLimit();
        this.directory = current.directory();
    }

    /**
     * Sets where large contents are spooled and from what size; called once at start-up.
     *
     * @param directory created when missing; null for the JVM's temporary directory
     * @param memoryLimit contents up to this many bytes stay in memory
     */
    public static void configure(Path directory, int memoryLimit) {
        if (memoryLimit < 0) {
            throw new IllegalArgumentException("spool memory limit must not be negative: " + memoryLimit);
        }
        if (directory != null) {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create directory " + directory + ": " + reason(e), e);
            }
        }
        settings = new Settings(directory, memoryLimit);
    }

    /** A few words on why a directory could not be created, without Java exception text. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException system && system.getReason() != null) {
            return system.getReason();
        }
        if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.FileSystemException) {
            return "a parent directory is missing or not writable";
        }
        return e.getMessage();
    }

    /** Reads the stream to its end into spooled bytes. */
    public static Bytes copyOf(InputStream in) throws IOException {
        return write(in::transferTo);
    }

    /** What a writer produced, spooled; a partial spool file is removed when the writer fails. */
    public static <E extends Exception> Bytes write(Writer<E> writer) throws IOException, E {
        Spool spool = new Spool();
        try {
            writer.writeTo(spool);
            return spool.toBytes();
        } finally {
            spool.discard();
        }
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
            result = file == null ? Bytes.of(memory, 0, count) : mapAndUnlink();
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
            // a leftover in the spool directory; removed at the next start (removeLeftovers)
        }
    }

    /**
     * Deletes spool files a previous process left behind (it died while writing one); called at start-up, when no
     * other process of this gateway uses the directory.
     */
    public static int removeLeftovers() throws IOException {
        Path directory = settings.directory();
        if (directory == null || !Files.isDirectory(directory)) {
            return 0;
        }
        int removed = 0;
        try (var files = Files.newDirectoryStream(directory, FILE_PREFIX + "*")) {
            for (Path leftover : files) {
                if (Files.deleteIfExists(leftover)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private void ensureOpen() throws IOException {
        if (finished) {
            throw new IOException("spool already finished");
        }
    }

    private void spillToFile() throws IOException {
        file = directory == null ? Files.createTempFile(FILE_PREFIX, ".tmp")
                : Files.createTempFile(directory, FILE_PREFIX, ".tmp");
        fileOut = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), FILE_BUFFER);
        fileOut.write(memory, 0, count);
        fileSize = count;
        memory = null;
        count = 0;
    }

    private Bytes mapAndUnlink() throws IOException {
        if (fileSize > Integer.MAX_VALUE) {
            discard();
            throw new IOException("content of " + fileSize + " bytes is over the 2 GiB a message may have");
        }
        MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize);
        } finally {
            Files.deleteIfExists(file);
        }
        file = null;
        long size = fileSize;
        MAPPED.addAndGet(size);
        // slices keep the mapped buffer reachable, so this runs once no Bytes of this content is left
        CLEANER.register(mapped, () -> MAPPED.addAndGet(-size));
        collectWhenOverBudget();
        return Bytes.wrap(mapped);
    }

    /** Bytes of spool files that are mapped and not yet collected (their disk space is still in use). */
    public static long mappedBytes() {
        return MAPPED.get();
    }

    private static void collectWhenOverBudget() {
        long now = System.nanoTime();
        long last = LAST_COLLECTION.get();
        if (MAPPED.get() > MAPPED_BUDGET && now - last > 1_000_000_000L && LAST_COLLECTION.compareAndSet(last, now)) {
            System.gc();
        }
    }
}
