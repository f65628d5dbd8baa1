package org.smimegw.core.revocation;

/**
 * A CRL that {@link CrlVerifier} refused; the message is a one-line reason naming what failed, e.g. {@code no stored
 * CA certificate named CN=Example CA}. An expected outcome of importing or fetching, never a bug.
 */
public final class CrlRejected extends Exception {
    private static final long serialVersionUID = 1L;

    public CrlRejected(String reason) {
        super(reason, null, false, false);
    }
}
