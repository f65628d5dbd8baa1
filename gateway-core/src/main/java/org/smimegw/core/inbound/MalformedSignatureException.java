package org.smimegw.core.inbound;

/**
 * The signature layer cannot be read: missing parts, bad base64, malformed CMS. Becomes {@code permerror}. The
 * message is a fixed text fit for the result header; the parser's own words stay in the cause, for the log.
 */
final class MalformedSignatureException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedSignatureException(String message) {
        super(message);
    }

    MalformedSignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
