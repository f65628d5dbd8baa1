package org.smimegw.core.inbound;

/** The signature layer cannot be read: missing parts, bad base64, malformed CMS. Becomes {@code permerror}. */
final class MalformedSignatureException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedSignatureException(String message) {
        super(message);
    }

    MalformedSignatureException(String message, Throwable cause) {
        super(message + ": " + Problems.describe(cause), cause);
    }
}
