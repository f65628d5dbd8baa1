package org.smimegw.core.inbound;

/**
 * A port (certificate directory, key repository) failed: an infrastructure problem, reported as
 * {@code temperror} rather than as a verdict about the message. The message is a fixed text for the result
 * header; the port's own words (which may name files or database URLs) stay in the cause, for the log.
 */
final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreUnavailableException(String reason, RuntimeException cause) {
        super(reason, cause);
    }
}
