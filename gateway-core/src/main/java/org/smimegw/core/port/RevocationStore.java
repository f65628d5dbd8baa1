package org.smimegw.core.port;

import java.util.List;
import java.util.Optional;

import org.smimegw.core.revocation.OcspAnswer;
import org.smimegw.core.revocation.StoredCrl;

/**
 * The revocation data every node shares (docs/design.md §9): verified CRLs, the newest per issuing CA, and verified
 * OCSP answers per certificate, kept until their {@code nextUpdate}. Callers verify before saving; the store only
 * keeps. Implementations are thread-safe, and a save is visible to every reader at once, in every process on the
 * same store.
 */
public interface RevocationStore {

    /**
     * Keeps the CRL unless the stored one of the same issuer has a later or equal {@code thisUpdate}; returns the CRL
     * stored for the issuer afterwards (the given one, or the newer stored one).
     */
    StoredCrl saveCrl(StoredCrl crl);

    /** The stored CRL of the issuing CA with this fingerprint. */
    Optional<StoredCrl> crl(String issuerFingerprint);

    /** Every stored CRL, ordered by issuer name. */
    List<StoredCrl> crls();

    /** Keeps the answer for its certificate, replacing an older one. */
    void saveOcsp(OcspAnswer answer);

    /** The stored answer about the certificate with this fingerprint, current or not. */
    Optional<OcspAnswer> ocsp(String certificateFingerprint);
}
