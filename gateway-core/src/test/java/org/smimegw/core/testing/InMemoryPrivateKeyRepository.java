package org.smimegw.core.testing;

import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.smimegw.core.port.PrivateKeyRepository;

/** A {@link PrivateKeyRepository} in memory, for core tests. */
public final class InMemoryPrivateKeyRepository implements PrivateKeyRepository {
    private final Map<String, PrivateKey> keys = new ConcurrentSkipListMap<>();

    @Override
    public void put(String certificateFingerprint, PrivateKey key) {
        keys.put(certificateFingerprint, key);
    }

    @Override
    public Optional<PrivateKey> find(String certificateFingerprint) {
        return Optional.ofNullable(keys.get(certificateFingerprint));
    }

    @Override
    public List<String> certificateFingerprints() {
        return List.copyOf(keys.keySet());
    }

    @Override
    public boolean delete(String certificateFingerprint) {
        return keys.remove(certificateFingerprint) != null;
    }
}
