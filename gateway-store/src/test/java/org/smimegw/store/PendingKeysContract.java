package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.IdentityRequests;
import org.smimegw.core.port.PendingKeys;
import org.smimegw.core.port.StoreFailure;

/** What every {@link PendingKeys} promises (docs/design.md §14), including encryption under the master key file. */
public interface PendingKeysContract {

    PendingKeys pendingKeys();

    /** The same storage opened with another master key file. */
    PendingKeys pendingKeysWithMasterKey(Path masterKeyFile);

    Path otherMasterKeyFile();

    private static PendingKeys.Pending add(PendingKeys keys, IdentityRequests.Algorithm algorithm, String email,
            Instant at) {
        IdentityRequests.Made made = IdentityRequests.make(algorithm, IdentityRequests.subject(null, email), email);
        PendingKeys.Pending pending = new PendingKeys.Pending(made.id(), email, "CN=" + email, algorithm.word(),
                made.keyPair().getPublic(), at);
        keys.add(pending, made.keyPair().getPrivate());
        assertArrayEquals(made.keyPair().getPrivate().getEncoded(),
                keys.privateKey(made.id()).orElseThrow().getEncoded());
        return pending;
    }

    @Test
    default void pendingKeysOfBothAlgorithmsComeBackWholeOldestFirstAndGoWhenDeleted() {
        Instant at = Instant.parse("2026-06-01T12:00:00Z");
        PendingKeys.Pending ec = add(pendingKeys(), IdentityRequests.Algorithm.EC_P256, "b@example.org",
                at.plusSeconds(60));
        PendingKeys.Pending rsa = add(pendingKeys(), IdentityRequests.Algorithm.RSA_2048, "a@example.org", at);

        List<PendingKeys.Pending> all = pendingKeys().all();
        assertEquals(List.of(rsa.id(), ec.id()), all.stream().map(PendingKeys.Pending::id).toList());
        PendingKeys.Pending read = pendingKeys().find(ec.id()).orElseThrow();
        assertEquals(List.of("b@example.org", "CN=b@example.org", "ec-p256", at.plusSeconds(60)),
                List.of(read.email(), read.subject(), read.algorithm(), read.requestedAt()));
        assertArrayEquals(ec.publicKey().getEncoded(), read.publicKey().getEncoded());

        assertTrue(pendingKeys().delete(rsa.id()));
        assertFalse(pendingKeys().delete(rsa.id()));
        assertTrue(pendingKeys().find(rsa.id()).isEmpty() && pendingKeys().privateKey(rsa.id()).isEmpty());
        assertEquals(1, pendingKeys().all().size());
    }

    @Test
    default void aPendingKeyDoesNotOpenWithAnotherMasterKey() {
        PendingKeys.Pending pending = add(pendingKeys(), IdentityRequests.Algorithm.EC_P256, "c@example.org",
                Instant.parse("2026-06-01T12:00:00Z"));

        StoreFailure failure = assertThrows(StoreFailure.class,
                () -> pendingKeysWithMasterKey(otherMasterKeyFile()).privateKey(pending.id()));
        assertTrue(failure.getMessage().contains("pending request " + pending.id()), failure.getMessage());
    }
}
