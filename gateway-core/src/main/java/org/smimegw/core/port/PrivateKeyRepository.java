package org.smimegw.core.port;

import java.security.PrivateKey;
import java.util.List;
import java.util.Optional;

/**
 * The organisation's private keys, each bound to the fingerprint of its stored certificate. Implementations keep
 * keys encrypted at rest and never write or log them in plain. Thread-safe.
 */
public interface PrivateKeyRepository {

    /** Stores (or replaces) the key for the certificate with this fingerprint. */
    void put(String certificateFingerprint, PrivateKey key);

    Optional<PrivateKey> find(String certificateFingerprint);

    /** Fingerprints of the certificates that have a key, ordered. */
    List<String> certificateFingerprints();

    /** Removes the key; returns whether there was one. */
    boolean delete(String certificateFingerprint);
}
