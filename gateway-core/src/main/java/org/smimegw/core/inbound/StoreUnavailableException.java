package org.smimegw.core.inbound;

/**
 * A port (certificate directory, key repository) failed: an infrastructure problem, reported as
 * {@code temperror} rather than as a verdict about the message.
 */
final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreUnavailableException(String what, RuntimeException cause) {
        super(what + " unavailable: " + Problems.describe(cause), cause);
    }
}
