package org.smimegw.smtp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;

/**
 * Counts how often processing crashed on the same received message (same direction, same bytes), so that a poison
 * message is answered {@code 451} a bounded number of times and then kept as {@code unprocessed} rather than tried
 * by the sending MTA until it gives up. Counts live in this process only and the oldest are forgotten beyond
 * {@link #REMEMBERED}: the bound is per process, which is enough to stop a retry loop. Thread-safe.
 */
final class ProcessingFailures {
    /** Crashes on one message answered with {@code 451}; the next one keeps the message as unprocessed. */
    static final int TEMPORARY_REPLIES = 2;
    static final int REMEMBERED = 10_000;

    private final Map<String, Integer> counts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** Counts one more crash on this message; true when it should be kept as unprocessed now. */
    boolean recordAndDecideToKeep(Direction direction, Bytes content) {
        String key = direction.word() + ":" + sha256(content);
        synchronized (counts) {
            int crashes = counts.merge(key, 1, Integer::sum);
            if (crashes > TEMPORARY_REPLIES) {
                counts.remove(key);
                return true;
            }
            return false;
        }
    }

    private static String sha256(Bytes content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            content.forEachChunk((array, offset, length) -> {
                digest.update(array, offset, length);
                return true;
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
