package org.smimegw.core.inbound;

import java.security.PrivateKey;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.port.PrivateKeyRepository;

/**
 * A key repository opened with the wrong master key: it lists its keys, but reading one fails with a message
 * that names the master key file, as the JDBC repository's does.
 */
final class UnreadablePrivateKeyRepository implements PrivateKeyRepository {
    static final String MASTER_KEY_FILE = "/var/lib/smime-gateway/master.key";

    private final List<String> fingerprints;

    UnreadablePrivateKeyRepository(List<String> fingerprints) {
        this.fingerprints = List.copyOf(fingerprints);
    }

    @Override
    public void put(String certificateFingerprint, PrivateKey key) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public Optional<PrivateKey> find(String certificateFingerprint) {
        throw new IllegalStateException("cannot decrypt the private key for certificate " + certificateFingerprint
                + ": the master key " + MASTER_KEY_FILE + " does not match the one it was stored with");
    }

    @Override
    public List<String> certificateFingerprints() {
        return fingerprints;
    }

    @Override
    public boolean delete(String certificateFingerprint) {
        throw new UnsupportedOperationException("read-only");
    }
}
