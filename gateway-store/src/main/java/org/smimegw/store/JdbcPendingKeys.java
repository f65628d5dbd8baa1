package org.smimegw.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.smimegw.core.port.PendingKeys;

/**
 * {@link PendingKeys} on the {@code pending_keys} table: each private key sealed under the master key as
 * {@link JdbcPrivateKeyRepository} seals the organisation's keys, with {@code pending:<id>} as associated data.
 * Requests are rare and read by an operator's command, so nothing is cached. Thread-safe.
 */
final class JdbcPendingKeys implements PendingKeys {
    private static final String COLUMNS = "id, email, subject, algorithm, public_key, key_algorithm, created_at";

    private final DataSource dataSource;
    private final MasterKey masterKey;

    JdbcPendingKeys(DataSource dataSource, MasterKey masterKey) {
        this.dataSource = dataSource;
        this.masterKey = masterKey;
    }

    @Override
    public void add(Pending pending, PrivateKey key) {
        String id = pending.id().toLowerCase(Locale.ROOT);
        String keyAlgorithm = SealedKeys.algorithmOf(key);
        MasterKey.Sealed sealed = SealedKeys.seal(masterKey, key, associatedData(id), "pending request " + id);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("INSERT INTO pending_keys (" + COLUMNS
                     + ", scheme, iv, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, id);
            statement.setString(2, pending.email());
            statement.setString(3, pending.subject());
            statement.setString(4, pending.algorithm());
            statement.setBytes(5, pending.publicKey().getEncoded());
            statement.setString(6, keyAlgorithm);
            Sql.setInstant(statement, 7, pending.requestedAt());
            statement.setString(8, MasterKey.SCHEME);
            statement.setBytes(9, sealed.iv());
            statement.setBytes(10, sealed.ciphertext());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.of("cannot store the pending request " + id, e);
        }
    }

    @Override
    public List<Pending> all() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                     + " FROM pending_keys ORDER BY created_at, id");
             ResultSet rows = statement.executeQuery()) {
            List<Pending> all = new ArrayList<>();
            while (rows.next()) {
                all.add(pending(rows));
            }
            return all;
        } catch (SQLException e) {
            throw StoreException.of("cannot list the pending requests", e);
        }
    }

    @Override
    public Optional<Pending> find(String id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                     + " FROM pending_keys WHERE id = ?")) {
            statement.setString(1, id.toLowerCase(Locale.ROOT));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(pending(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreException.of("cannot read the pending request " + id, e);
        }
    }

    @Override
    public Optional<PrivateKey> privateKey(String id) {
        String normalised = id.toLowerCase(Locale.ROOT);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT key_algorithm, scheme, iv, ciphertext FROM pending_keys WHERE id = ?")) {
            statement.setString(1, normalised);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                if (!MasterKey.SCHEME.equals(rows.getString("scheme"))) {
                    throw new StoreException("the key of pending request " + normalised + " is sealed with "
                            + rows.getString("scheme") + ", which this version cannot open");
                }
                return Optional.of(SealedKeys.open(masterKey, rows.getString("key_algorithm"),
                        new MasterKey.Sealed(rows.getBytes("iv"), rows.getBytes("ciphertext")),
                        associatedData(normalised), "pending request " + normalised));
            }
        } catch (SQLException e) {
            throw StoreException.of("cannot read the key of pending request " + normalised, e);
        }
    }

    @Override
    public boolean delete(String id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("DELETE FROM pending_keys WHERE id = ?")) {
            statement.setString(1, id.toLowerCase(Locale.ROOT));
            return statement.executeUpdate() > 0;
        } catch (SQLException e) {
            throw StoreException.of("cannot delete the pending request " + id, e);
        }
    }

    private static Pending pending(ResultSet rows) throws SQLException {
        String id = rows.getString("id");
        PublicKey publicKey;
        try {
            publicKey = KeyFactory.getInstance(rows.getString("key_algorithm"))
                    .generatePublic(new X509EncodedKeySpec(rows.getBytes("public_key")));
        } catch (GeneralSecurityException e) {
            throw new StoreException("the public key of pending request " + id + " cannot be rebuilt");
        }
        return new Pending(id, rows.getString("email"), rows.getString("subject"), rows.getString("algorithm"),
                publicKey, Sql.getInstant(rows, "created_at"));
    }

    private static byte[] associatedData(String id) {
        return ("pending:" + id).getBytes(StandardCharsets.US_ASCII);
    }
}
