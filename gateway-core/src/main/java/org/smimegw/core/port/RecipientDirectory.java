package org.smimegw.core.port;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import org.smimegw.core.cert.CertificateSource;

/**
 * A place outside the store where recipients' certificates are published: an LDAP directory or DNS SMIMEA records
 * (docs/design.md §10). Implementations must be thread-safe.
 */
public interface RecipientDirectory {
    /** What a certificate found here is stored as: {@link CertificateSource#LDAP} or {@link CertificateSource#DANE}. */
    CertificateSource source();

    /**
     * The certificates published for the address, unchecked: the caller applies the certificate rules.
     *
     * @param timeout the longest this may take
     * @return empty when nothing is published for the address
     * @throws LookupFailure when the directory cannot be asked or its answer cannot be used (down, too slow,
     *     malformed, not DNSSEC-validated)
     */
    List<X509Certificate> find(String address, Duration timeout) throws LookupFailure;

    /** Why a directory gave no answer; the message names the directory and the cause, never a secret. */
    final class LookupFailure extends Exception {
        private static final long serialVersionUID = 1L;

        public LookupFailure(String message) {
            super(message);
        }

        public LookupFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
