package org.smimegw.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.smimegw.core.port.PrivateKeyRepository;

/**
 * {@link PrivateKeyRepository} on the {@code private_keys} table. Each key is stored as its PKCS#8 encoding sealed
 * with the {@link MasterKey} (AES-256-GCM, random IV, the fingerprint as associated data, so a sealed key copied to
 * another row does not open). This class decrypts the key on every {@link #find}; {@link CachedPrivateKeyRepository}
 * keeps decrypted keys in memory until the {@code private_keys} counter of {@link StoreVersions} changes, which
 * {@link #put} and {@link #delete} raise after their change, so a deletion by another process still takes effect
 * at its next use. Thread-safe.
 */
final class JdbcPrivateKeyRepository implements PrivateKeyRepository {
    private final DataSource dataSource;
    private final MasterKey masterKey;
    private final Clock clock;

    JdbcPrivateKeyRepository(DataSource dataSource, MasterKey masterKey, Clock clock) {
        this.dataSource = dataSource;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    @Override
    public void put(String certificateFingerprint, PrivateKey key) {
        String fingerprint = certificateFingerprint.toLowerCase(Locale.ROOT);
        String algorithm = SealedKeys.algorithmOf(key);
        MasterKey.Sealed sealed = SealedKeys.seal(masterKey, key, associatedData(fingerprint),
                "certificate " + fingerprint);
        try (Connection connection = dataSource.getConnection()) {
            // update first, insert if absent; a racing insert of the same key turns into an update
            if (update(connection, fingerprint, algorithm, sealed) == 0) {
                try {
                    insert(connection, fingerprint, algorithm, sealed);
                } catch (SQLException e) {
                    if (!Sql.isUniqueViolation(e) || update(connection, fingerprint, algorithm, sealed) == 0) {
                        throw e;
                    }
                }
            }
            // after the change (auto-commit): a cache that read the counter before it loads again
            StoreVersions.raise(connection, StoreVersions.PRIVATE_KEYS);
        } catch (SQLException e) {
            throw StoreException.of("cannot store the private key for certificate " + fingerprint, e);
        }
    }

    private int update(Connection connection, String fingerprint, String algorithm, MasterKey.Sealed sealed)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE private_keys SET algorithm = ?,"
                + " scheme = ?, iv = ?, ciphertext = ?, created_at = ? WHERE fingerprint = ?")) {
            statement.setString(1, algorithm);
            statement.setString(2, MasterKey.SCHEME);
            statement.setBytes(3, sealed.iv());
            statement.setBytes(4, sealed.ciphertext());
            Sql.setInstant(statement, 5, clock.instant());
            statement.setString(6, fingerprint);
            return statement.executeUpdate();
        }
    }

    private void insert(Connection connection, String fingerprint, String algorithm, MasterKey.Sealed sealed)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO private_keys (fingerprint,"
                + " algorithm, scheme, iv, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, fingerprint);
            statement.setString(2, algorithm);
            statement.setString(3, MasterKey.SCHEME);
            statement.setBytes(4, sealed.iv());
            statement.setBytes(5, sealed.ciphertext());
            Sql.setInstant(statement, 6, clock.instant());
            statement.executeUpdate();
        }
    }

    @Override
    public Optional<PrivateKey> find(String certificateFingerprint) {
        String fingerprint = certificateFingerprint.toLowerCase(Locale.ROOT);
        String algorithm;
        String scheme;
        MasterKey.Sealed sealed;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT algorithm, scheme, iv, ciphertext FROM private_keys WHERE fingerprint = ?")) {
            statement.setString(1, fingerprint);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                algorithm = rows.getString("algorithm");
                scheme = rows.getString("scheme");
                sealed = new MasterKey.Sealed(rows.getBytes("iv"), rows.getBytes("ciphertext"));
            }
        } catch (SQLException e) {
            throw StoreException.of("cannot read the private key for certificate " + fingerprint, e);
        }
        if (!MasterKey.SCHEME.equals(scheme)) {
            throw new StoreException("the private key for certificate " + fingerprint + " is sealed with " + scheme
                    + ", which this version cannot open");
        }
        return Optional.of(unseal(fingerprint, algorithm, sealed));
    }

    private PrivateKey unseal(String fingerprint, String algorithm, MasterKey.Sealed sealed) {
        return SealedKeys.open(masterKey, algorithm, sealed, associatedData(fingerprint), "certificate " + fingerprint);
    }

    /** Decrypts every stored key; throws at the first that does not open. */
    void checkAll() {
        for (String fingerprint : certificateFingerprints()) {
            find(fingerprint);
        }
    }

    @Override
    public List<String> certificateFingerprints() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT fingerprint FROM private_keys ORDER BY fingerprint");
             ResultSet rows = statement.executeQuery()) {
            List<String> fingerprints = new ArrayList<>();
            while (rows.next()) {
                fingerprints.add(rows.getString(1));
            }
            return fingerprints;
        } catch (SQLException e) {
            throw StoreException.of("cannot list private keys", e);
        }
    }

    @Override
    public boolean delete(String certificateFingerprint) {
        String fingerprint = certificateFingerprint.toLowerCase(Locale.ROOT);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "DELETE FROM private_keys WHERE fingerprint = ?")) {
            statement.setString(1, fingerprint);
            boolean deleted = statement.executeUpdate() > 0;
            if (deleted) {
                StoreVersions.raise(connection, StoreVersions.PRIVATE_KEYS);
            }
            return deleted;
        } catch (SQLException e) {
            throw StoreException.of("cannot delete the private key for certificate " + fingerprint, e);
        }
    }

    private static byte[] associatedData(String fingerprint) {
        return fingerprint.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "JdbcPrivateKeyRepository[" + masterKey + "]";
    }
}
