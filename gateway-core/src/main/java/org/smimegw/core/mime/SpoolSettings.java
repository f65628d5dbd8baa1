package org.smimegw.core.mime;

import java.nio.file.Path;

/**
 * How message contents are spooled (ADR 10), as configured: {@code spool.dir}, {@code spool.memory.limit} and
 * {@code spool.mapped.limit}. Immutable.
 *
 * @param directory where contents over the memory limit are written, then mapped and unlinked at once; null for the
 *                  JVM's temporary directory
 * @param memoryLimit contents up to this many bytes stay on the heap
 * @param mappedLimit the most bytes of spool files mapped at a time: an unlinked file keeps its disk space until its
 *                    mapping is collected, so a content that would go over this is read onto the heap instead, and
 *                    its file deleted at once
 */
public record SpoolSettings(Path directory, int memoryLimit, long mappedLimit) {
    /** {@code spool.memory.limit} default. */
    public static final int DEFAULT_MEMORY_LIMIT = 1024 * 1024;
    /** {@code spool.mapped.limit} default. */
    public static final long DEFAULT_MAPPED_LIMIT = 1L << 30;

    public SpoolSettings {
        if (memoryLimit < 0) {
            throw new IllegalArgumentException("spool memory limit must not be negative: " + memoryLimit);
        }
        if (mappedLimit < 0) {
            throw new IllegalArgumentException("spool mapped limit must not be negative: " + mappedLimit);
        }
    }

    /** With the {@link #DEFAULT_MAPPED_LIMIT default mapped limit}. */
    public SpoolSettings(Path directory, int memoryLimit) {
        this(directory, memoryLimit, DEFAULT_MAPPED_LIMIT);
    }

    /** The JVM's temporary directory and the default limits. */
    public static SpoolSettings defaults() {
        return new SpoolSettings(null, DEFAULT_MEMORY_LIMIT);
    }
}
