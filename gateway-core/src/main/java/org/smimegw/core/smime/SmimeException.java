package org.smimegw.core.smime;

/**
 * An infrastructure failure inside the S/MIME engine (a CMS or I/O error, a missing algorithm provider), with a
 * message saying what was being done. Expected outcomes (a bad signature, an unknown recipient) are never
 * reported this way.
 */
public class SmimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SmimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
