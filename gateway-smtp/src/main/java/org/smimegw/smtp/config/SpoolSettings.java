package org.smimegw.smtp.config;

import java.nio.file.Path;

/**
 * Where message contents go while the gateway works on them (ADR 10).
 *
 * @param directory {@code spool.dir}: contents over the memory limit are written here, mapped, and unlinked at once
 * @param memoryLimit {@code spool.memory.limit}: contents up to this many bytes stay on the heap
 */
public record SpoolSettings(Path directory, int memoryLimit) {
}
