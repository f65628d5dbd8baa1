package org.smimegw.store;

import java.security.PrivateKey;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.port.PrivateKeyRepository;

/**
 * Keeps decrypted organisation keys in memory until the {@code private_keys} counter of {@link StoreVersions}
 * changes: one primary-key read per lookup instead of a query, an AES-GCM decryption and a PKCS#8 parse (and the
 * provider's key set-up before each signature). A key deleted by any process is raised in the counter, so it is not
 * used for the next message. The keys stay in this process's memory, where the signing and decrypting code holds
 * them anyway; they are never written or logged. Thread-safe.
 */
final class CachedPrivateKeyRepository implements PrivateKeyRepository {
    private static final String ALL = "";

    private final PrivateKeyRepository stored;
    private final StoreVersions versions;
    private final VersionedCache<String, Optional<PrivateKey>> keys = new VersionedCache<>();
    private final VersionedCache<String, List<String>> fingerprints = new VersionedCache<>();

    CachedPrivateKeyRepository(PrivateKeyRepository stored, StoreVersions versions) {
        this.stored = stored;
        this.versions = versions;
    }

    @Override
    public void put(String certificateFingerprint, PrivateKey key) {
        try {
            stored.put(certificateFingerprint, key);
        } finally {
            clear();
        }
    }

    @Override
    public Optional<PrivateKey> find(String certificateFingerprint) {
        String wanted = certificateFingerprint.toLowerCase(Locale.ROOT);
        return keys.get(version(), wanted, () -> stored.find(wanted));
    }

    @Override
    public List<String> certificateFingerprints() {
        return fingerprints.get(version(), ALL, () -> List.copyOf(stored.certificateFingerprints()));
    }

    @Override
    public boolean delete(String certificateFingerprint) {
        try {
            return stored.delete(certificateFingerprint);
        } finally {
            clear();
        }
    }

    private long version() {
        return versions.current(StoreVersions.PRIVATE_KEYS);
    }

    private void clear() {
        keys.clear();
        fingerprints.clear();
    }

    @Override
    public String toString() {
        return "Cached" + stored;
    }
}
