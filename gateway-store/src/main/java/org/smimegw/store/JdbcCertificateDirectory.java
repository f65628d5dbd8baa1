package org.smimegw.store;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.port.CertificateDirectory;

/**
 * {@link CertificateDirectory} on the {@code certificates} and {@code certificate_emails} tables; a certificate's
 * {@link CertificateSource} is its {@code source} column. Every call reads the database, so changes by other processes
 * are seen at once; every change (add, change of source, delete) raises the {@code certificates} counter of
 * {@link StoreVersions} in its transaction, which is what {@link CachedCertificateDirectory} checks. Thread-safe.
 */
final class JdbcCertificateDirectory implements CertificateDirectory {
    private static final String COLUMNS = "SELECT c.fingerprint, c.kind, c.source, c.der FROM certificates c ";

    private final DataSource dataSource;
    private final Clock clock;

    JdbcCertificateDirectory(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public CertificateRecord add(X509Certificate certificate, CertificateKind kind, CertificateSource source) {
        CertificateRecord record = CertificateRecord.of(certificate, kind, source);
        String byFingerprint = COLUMNS + "WHERE c.fingerprint = ?";
        // one connection throughout: a second one from the small pool could wait for ever under load
        try (Connection connection = dataSource.getConnection()) {
            Optional<CertificateRecord> stored = select(connection, byFingerprint, record.fingerprint()).stream()
                    .findFirst();
            if (stored.isPresent()) {
                return stored.get();
            }
            try {
                return Sql.inTransaction(connection, () -> {
                    insert(connection, record);
                    StoreVersions.raise(connection, StoreVersions.CERTIFICATES);
                    return record;
                });
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) {
                    // another writer stored the same certificate between our read and our insert
                    return select(connection, byFingerprint, record.fingerprint()).stream().findFirst()
                            .orElseThrow(() -> e);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.of("cannot add certificate " + record.fingerprint(), e);
        }
    }

    @Override
    public Optional<CertificateRecord> changeSource(String fingerprint, CertificateSource source) {
        String wanted = fingerprint.toLowerCase(Locale.ROOT);
        try (Connection connection = dataSource.getConnection()) {
            return Sql.inTransaction(connection, () -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "UPDATE certificates SET source = ? WHERE fingerprint = ?")) {
                    statement.setString(1, source.word());
                    statement.setString(2, wanted);
                    if (statement.executeUpdate() == 0) {
                        return Optional.empty();
                    }
                }
                StoreVersions.raise(connection, StoreVersions.CERTIFICATES);
                return select(connection, COLUMNS + "WHERE c.fingerprint = ?", wanted).stream().findFirst();
            });
        } catch (SQLException e) {
            throw StoreException.of("cannot change the source of certificate " + wanted + " to " + source.word(), e);
        }
    }

    private void insert(Connection connection, CertificateRecord record) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO certificates (fingerprint, kind,"
                + " subject, issuer, serial_hex, not_before, not_after, ca, key_usage, der, created_at, source)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            X509Certificate certificate = record.certificate();
            statement.setString(1, record.fingerprint());
            statement.setString(2, record.kind().word());
            statement.setString(3, record.subject());
            statement.setString(4, record.issuer());
            statement.setString(5, record.serialHex());
            Sql.setInstant(statement, 6, record.notBefore());
            Sql.setInstant(statement, 7, record.notAfter());
            statement.setBoolean(8, CertificateFacts.isCa(certificate));
            statement.setString(9, String.join(",", CertificateFacts.keyUsageNames(certificate)));
            statement.setBytes(10, encoded(certificate));
            Sql.setInstant(statement, 11, clock.instant());
            statement.setString(12, record.source().word());
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO certificate_emails (fingerprint, email) VALUES (?, ?)")) {
            for (String email : record.emails()) {
                statement.setString(1, record.fingerprint());
                statement.setString(2, email.toLowerCase(Locale.ROOT));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    @Override
    public List<CertificateRecord> findByEmail(String email) {
        String wanted = email.trim().toLowerCase(Locale.ROOT);
        return query("find certificates for " + wanted, COLUMNS
                + "JOIN certificate_emails e ON e.fingerprint = c.fingerprint WHERE e.email = ? ORDER BY c.fingerprint",
                wanted);
    }

    @Override
    public Optional<CertificateRecord> findByFingerprint(String fingerprint) {
        String wanted = fingerprint.toLowerCase(Locale.ROOT);
        return query("find certificate " + wanted, COLUMNS + "WHERE c.fingerprint = ?", wanted).stream().findFirst();
    }

    @Override
    public List<CertificateRecord> findByFingerprintPrefix(String prefix) {
        String wanted = prefix.toLowerCase(Locale.ROOT);
        return query("find certificates with fingerprint prefix " + wanted,
                COLUMNS + "WHERE c.fingerprint LIKE ? ESCAPE '\\' ORDER BY c.fingerprint", Sql.likePrefix(wanted));
    }

    @Override
    public List<CertificateRecord> findByKind(CertificateKind kind) {
        return query("list " + kind.word() + " certificates", COLUMNS + "WHERE c.kind = ? ORDER BY c.fingerprint",
                kind.word());
    }

    @Override
    public List<CertificateRecord> all() {
        return query("list certificates", COLUMNS + "ORDER BY c.fingerprint");
    }

    @Override
    public boolean delete(String fingerprint) {
        String wanted = fingerprint.toLowerCase(Locale.ROOT);
        try (Connection connection = dataSource.getConnection()) {
            return Sql.inTransaction(connection, () -> {
                try (PreparedStatement emails = connection.prepareStatement(
                        "DELETE FROM certificate_emails WHERE fingerprint = ?");
                     PreparedStatement certificates = connection.prepareStatement(
                             "DELETE FROM certificates WHERE fingerprint = ?")) {
                    // explicit, not only ON DELETE CASCADE: the index must never outlive its certificate
                    emails.setString(1, wanted);
                    emails.executeUpdate();
                    certificates.setString(1, wanted);
                    boolean deleted = certificates.executeUpdate() > 0;
                    if (deleted) {
                        StoreVersions.raise(connection, StoreVersions.CERTIFICATES);
                    }
                    return deleted;
                }
            });
        } catch (SQLException e) {
            throw StoreException.of("cannot delete certificate " + wanted, e);
        }
    }

    private List<CertificateRecord> query(String doing, String sql, String... parameters) {
        try (Connection connection = dataSource.getConnection()) {
            return select(connection, sql, parameters);
        } catch (SQLException e) {
            throw StoreException.of("cannot " + doing, e);
        }
    }

    private static List<CertificateRecord> select(Connection connection, String sql, String... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<CertificateRecord> records = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    records.add(read(rows));
                }
            }
            return records;
        }
    }

    private static CertificateRecord read(ResultSet rows) throws SQLException {
        String fingerprint = rows.getString("fingerprint");
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(rows.getBytes("der")));
            return CertificateRecord.of(certificate, CertificateKind.fromWord(rows.getString("kind")),
                    CertificateSource.fromWord(rows.getString("source")));
        } catch (CertificateException | IllegalArgumentException e) {
            throw StoreException.of("stored certificate " + fingerprint + " cannot be read", e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }
}
