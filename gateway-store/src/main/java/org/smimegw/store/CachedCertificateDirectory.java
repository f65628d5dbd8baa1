package org.smimegw.store;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.port.CertificateDirectory;

/**
 * Keeps the parsed records of the lookups every message makes (by address, by fingerprint, by kind) until the
 * {@code certificates} counter of {@link StoreVersions} changes: one primary-key read per lookup instead of a query
 * and an X.509 parse of every row. Any process that adds or deletes a certificate or changes its source raises the
 * counter, so the next lookup after a {@code cert import} beside the relay sees it. The records are the stored ones,
 * of any validity and source: which certificate is valid at an instant, and what its source allows, is still decided
 * by the caller on every message. Listings ({@link #all}, {@link #findByFingerprintPrefix}) are not cached.
 * Thread-safe.
 */
final class CachedCertificateDirectory implements CertificateDirectory {
    private final CertificateDirectory stored;
    private final StoreVersions versions;
    private final VersionedCache<String, List<CertificateRecord>> lists = new VersionedCache<>();
    private final VersionedCache<String, Optional<CertificateRecord>> byFingerprint = new VersionedCache<>();

    CachedCertificateDirectory(CertificateDirectory stored, StoreVersions versions) {
        this.stored = stored;
        this.versions = versions;
    }

    @Override
    public CertificateRecord add(X509Certificate certificate, CertificateKind kind, CertificateSource source) {
        try {
            return stored.add(certificate, kind, source);
        } finally {
            clear();
        }
    }

    @Override
    public Optional<CertificateRecord> changeSource(String fingerprint, CertificateSource source) {
        try {
            return stored.changeSource(fingerprint, source);
        } finally {
            clear();
        }
    }

    @Override
    public List<CertificateRecord> findByEmail(String email) {
        String wanted = email.trim().toLowerCase(Locale.ROOT);
        return lists.get(version(), "email " + wanted, () -> List.copyOf(stored.findByEmail(wanted)));
    }

    @Override
    public Optional<CertificateRecord> findByFingerprint(String fingerprint) {
        String wanted = fingerprint.toLowerCase(Locale.ROOT);
        return byFingerprint.get(version(), wanted, () -> stored.findByFingerprint(wanted));
    }

    @Override
    public List<CertificateRecord> findByFingerprintPrefix(String prefix) {
        return stored.findByFingerprintPrefix(prefix);
    }

    @Override
    public List<CertificateRecord> findByKind(CertificateKind kind) {
        return lists.get(version(), "kind " + kind.word(), () -> List.copyOf(stored.findByKind(kind)));
    }

    @Override
    public List<CertificateRecord> all() {
        return stored.all();
    }

    @Override
    public boolean delete(String fingerprint) {
        try {
            return stored.delete(fingerprint);
        } finally {
            clear();
        }
    }

    private long version() {
        return versions.current(StoreVersions.CERTIFICATES);
    }

    private void clear() {
        lists.clear();
        byFingerprint.clear();
    }
}
