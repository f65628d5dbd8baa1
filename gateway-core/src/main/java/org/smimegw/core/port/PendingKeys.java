package org.smimegw.core.port;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The organisation's key pairs made inside the gateway whose certificate has not come yet (docs/design.md §14): a
 * pending identity per certificate request. Implementations keep the private keys encrypted at rest, as
 * {@link PrivateKeyRepository} does, and never write or log them in plain. Thread-safe.
 */
public interface PendingKeys {

    /**
     * One request.
     *
     * @param id the lower-case hex SHA-256 of the public key's SubjectPublicKeyInfo: what an issued certificate is
     *           matched by
     * @param email the address the request asks for
     * @param subject the requested subject DN, as written in the request
     * @param algorithm the key's algorithm word ({@code rsa-3072}, {@code ec-p256}, ...)
     */
    record Pending(String id, String email, String subject, String algorithm, PublicKey publicKey,
            Instant requestedAt) {
    }

    /** Stores a new pending identity and its private key. */
    void add(Pending pending, PrivateKey key);

    /** Every pending identity, oldest first. */
    List<Pending> all();

    Optional<Pending> find(String id);

    /** The private key of a pending identity. */
    Optional<PrivateKey> privateKey(String id);

    /** Removes a pending identity and its key; returns whether there was one. */
    boolean delete(String id);
}
