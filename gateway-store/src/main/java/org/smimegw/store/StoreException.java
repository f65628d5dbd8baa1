package org.smimegw.store;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;

import org.smimegw.core.port.StoreFailure;

/**
 * The {@link StoreFailure} of this module's adapters: the database cannot be reached, a statement failed, the master
 * key file is unusable or does not match. The message is one line that says what was being done and with what,
 * built from the most telling cause ({@link #of}); it never contains a password or key material.
 */
final class StoreException extends StoreFailure {
    private static final long serialVersionUID = 1L;

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    StoreException(String message) {
        super(message);
    }

    /** {@code doing: root cause}, flattened to one line (PostgreSQL server messages span several). */
    static StoreException of(String doing, Throwable cause) {
        return new StoreException(doing + ": " + rootMessage(cause), cause);
    }

    /**
     * The most telling message in the chain: the innermost {@link SQLException} (drivers explain themselves
     * there; pools and Flyway only wrap), else the root cause.
     */
    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        Throwable innermostSql = null;
        for (Throwable next = failure; next != null; next = next.getCause() == next ? null : next.getCause()) {
            if (next instanceof SQLException) {
                innermostSql = next;
            }
            root = next;
        }
        return oneLine(describe(innermostSql != null ? innermostSql : root));
    }

    private static String describe(Throwable failure) {
        if (failure instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (failure instanceof NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        if (failure instanceof FileSystemException other && other.getReason() == null) {
            return other.getClass().getSimpleName() + ": " + other.getFile();
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
