package org.smimegw.store;

/**
 * An infrastructure failure of the store: the database cannot be reached, a statement failed, the master key file
 * is unusable or does not match. The message is one line that says what was being done and with what; it never
 * contains a password or key material.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }

    /** {@code doing: root cause}, flattened to one line (PostgreSQL server messages span several). */
    static StoreException of(String doing, Throwable cause) {
        return new StoreException(doing + ": " + rootMessage(cause), cause);
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
