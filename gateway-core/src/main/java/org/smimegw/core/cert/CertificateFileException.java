package org.smimegw.core.cert;

/** A certificate or key file that cannot be read; the message says why, without key material. */
public final class CertificateFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CertificateFileException(String message) {
        super(message);
    }
}
