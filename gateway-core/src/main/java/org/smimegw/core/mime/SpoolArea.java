package org.smimegw.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where message contents are spooled (ADR 10): a directory and its limits ({@link SpoolSettings}), and the count of
 * bytes mapped from its files. The composition root makes one from the configuration and hands it to where contents
 * come in (the listeners, the queue, {@code process}); every {@link Bytes} knows its area, and whatever is made from
 * a content is spooled in the same area. Thread-safe.
 */
public final class SpoolArea {
    private static final String FILE_PREFIX = "spool-";
    private static final Cleaner CLEANER = Cleaner.create();

    /** For contents from no configured area (built in memory, tools, tests): {@link SpoolSettings#defaults()}. */
    public static final SpoolArea DEFAULT = new SpoolArea(SpoolSettings.defaults());

    private final SpoolSettings settings;
    private final AtomicLong mapped = new AtomicLong();

    /** @throws UncheckedIOException naming the directory and why, when it is missing and cannot be created */
    public SpoolArea(SpoolSettings settings) {
        this.settings = settings;
        if (settings.directory() != null) {
            try {
                Files.createDirectories(settings.directory());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create directory " + settings.directory() + ": " + reason(e),
                        e);
            }
        }
    }

    public SpoolSettings settings() {
        return settings;
    }

    /** A new, empty spool in this area. */
    public Spool open() {
        return new Spool(this);
    }

    /** Reads the stream to its end into spooled bytes. */
    public Bytes copyOf(InputStream in) throws IOException {
        return write(in::transferTo);
    }

    /** What a writer produced, spooled; a partial spool file is removed when the writer fails. */
    public <E extends Exception> Bytes write(Spool.Writer<E> writer) throws IOException, E {
        Spool spool = open();
        try {
            writer.writeTo(spool);
            return spool.toBytes();
        } finally {
            spool.discard();
        }
    }

    /**
     * Deletes spool files a previous process left behind (it died while writing one); called at start-up, when no
     * other process of this gateway uses the directory.
     */
    public int removeLeftovers() throws IOException {
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

    /** Bytes of spool files that are mapped and not yet collected (their disk space is still in use). */
    public long mappedBytes() {
        return mapped.get();
    }

    Path newFile() throws IOException {
        Path directory = settings.directory();
        return directory == null ? Files.createTempFile(FILE_PREFIX, ".tmp")
                : Files.createTempFile(directory, FILE_PREFIX, ".tmp");
    }

    /**
     * The content of a finished spool file, which is deleted here: mapped read-only while the mapped bytes stay within
     * the limit, otherwise read onto the heap, so that the disk space of this area's unlinked files never depends on
     * when the garbage collector runs.
     */
    Bytes adopt(Path file, int size) throws IOException {
        try {
            if (!reserve(size)) {
                return Bytes.heap(this, Files.readAllBytes(file), 0, size);
            }
            MappedByteBuffer buffer;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            } catch (IOException | RuntimeException e) {
                mapped.addAndGet(-size);
                throw e;
            }
            // slices keep the mapped buffer reachable, so this runs once no Bytes of this content is left
            CLEANER.register(buffer, () -> mapped.addAndGet(-size));
            return Bytes.mapped(this, buffer);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private boolean reserve(long size) {
        long now;
        do {
            now = mapped.get();
            if (now + size > settings.mappedLimit()) {
                return false;
            }
        } while (!mapped.compareAndSet(now, now + size));
        return true;
    }

    /** A few words on why a directory could not be created, without Java exception text. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException system && system.getReason() != null) {
            return system.getReason();
        }
        if (e instanceof NoSuchFileException || e instanceof FileSystemException) {
            return "a parent directory is missing or not writable";
        }
        return e.getMessage();
    }
}
