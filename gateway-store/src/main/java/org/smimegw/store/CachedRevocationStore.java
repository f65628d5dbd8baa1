package org.smimegw.store;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.port.RevocationStore;
import org.smimegw.core.revocation.OcspAnswer;
import org.smimegw.core.revocation.StoredCrl;

/**
 * Keeps the parsed results of the lookups a revocation check makes per message (the CRL of an issuer, the OCSP answer
 * about a certificate, or that there is none) until the {@code revocation} counter of {@link StoreVersions} changes:
 * one primary-key read per lookup instead of a query and the parse of a CRL that may list thousands of certificates.
 * Any process that saves a CRL or an answer raises the counter, so the next lookup after a CRL imported by the command
 * line beside the relay, or fetched by another node, sees it. Whether a CRL or answer is current is still decided by
 * the caller at its instant. The listing ({@link #crls}) is not cached. Thread-safe.
 */
final class CachedRevocationStore implements RevocationStore {
    private final RevocationStore stored;
    private final StoreVersions versions;
    private final VersionedCache<String, Optional<StoredCrl>> crlByIssuer = new VersionedCache<>();
    private final VersionedCache<String, Optional<OcspAnswer>> ocspByCertificate = new VersionedCache<>();

    CachedRevocationStore(RevocationStore stored, StoreVersions versions) {
        this.stored = stored;
        this.versions = versions;
    }

    @Override
    public StoredCrl saveCrl(StoredCrl crl) {
        try {
            return stored.saveCrl(crl);
        } finally {
            clear();
        }
    }

    @Override
    public Optional<StoredCrl> crl(String issuerFingerprint) {
        String wanted = issuerFingerprint.toLowerCase(Locale.ROOT);
        return crlByIssuer.get(version(), wanted, () -> stored.crl(wanted));
    }

    @Override
    public List<StoredCrl> crls() {
        return stored.crls();
    }

    @Override
    public void saveOcsp(OcspAnswer answer) {
        try {
            stored.saveOcsp(answer);
        } finally {
            clear();
        }
    }

    @Override
    public Optional<OcspAnswer> ocsp(String certificateFingerprint) {
        String wanted = certificateFingerprint.toLowerCase(Locale.ROOT);
        return ocspByCertificate.get(version(), wanted, () -> stored.ocsp(wanted));
    }

    private long version() {
        return versions.current(StoreVersions.REVOCATION);
    }

    private void clear() {
        crlByIssuer.clear();
        ocspByCertificate.clear();
    }
}
