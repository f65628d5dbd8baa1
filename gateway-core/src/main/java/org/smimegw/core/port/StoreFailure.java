package org.smimegw.core.port;

/**
 * A port could not do its work for a reason that is not the message's: the database cannot be reached, a statement
 * failed, a stored key cannot be read. Every store port (the certificate directory, the key repository, the audit
 * log, the original archive and the message queue) reports such failures as this type, and {@link #in} is the one
 * place that decides whether a failure is the store's: then a message is answered 451 or tried again later, never
 * counted against it. The message is one line and never contains a password or key material.
 */
public class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreFailure(String message) {
        super(message);
    }

    public StoreFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code failure} is a store failure or was caused by one. */
    public static boolean in(Throwable failure) {
        for (Throwable next = failure; next != null; next = next.getCause() == next ? null : next.getCause()) {
            if (next instanceof StoreFailure) {
                return true;
            }
        }
        return false;
    }
}
