package org.smimegw.store;

import java.io.ByteArrayInputStream;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.smimegw.core.port.RevocationStore;
import org.smimegw.core.revocation.OcspAnswer;
import org.smimegw.core.revocation.StoredCrl;

/**
 * {@link RevocationStore} on the {@code crls} and {@code ocsp_answers} tables. Every read goes to the database and
 * parses the stored DER back into an {@link X509CRL}; every change raises the {@code revocation} counter of
 * {@link StoreVersions} in its transaction, which is what {@link CachedRevocationStore} checks.
 *
 * <p>A save keeps the newer of what is stored and what is offered, by {@code thisUpdate}: a CRL or an OCSP answer
 * replaces the stored one of its issuer or certificate only when it was issued later. The comparison and the write
 * are one step for every process on the store: each save first takes the row lock of the {@code revocation} counter
 * ({@link StoreVersions#lock}), which every writer of these tables needs anyway to raise it, so two nodes saving CRLs
 * of one issuer at once take turns, the second compares against what the first committed, and no insert of one can
 * collide with the other's. A save that changes nothing leaves the counter alone. Thread-safe.
 */
final class JdbcRevocationStore implements RevocationStore {
    private static final String CRL_COLUMNS =
            "SELECT issuer_fingerprint, issuer, this_update, next_update, entries, origin, der FROM crls ";
    private static final String OCSP_COLUMNS = "SELECT certificate_fingerprint, revoked, revoked_at, this_update,"
            + " next_update, responder, response FROM ocsp_answers ";

    private final DataSource dataSource;
    private final Clock clock;

    /** @param clock stamps {@code stored_at} */
    JdbcRevocationStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public StoredCrl saveCrl(StoredCrl crl) {
        String issuer = crl.issuerFingerprint().toLowerCase(Locale.ROOT);
        byte[] der = encoded(crl);
        try (Connection connection = dataSource.getConnection()) {
            return Sql.inTransaction(connection, () -> {
                StoreVersions.lock(connection, StoreVersions.REVOCATION);
                Optional<Instant> stored = storedThisUpdate(connection,
                        "SELECT this_update FROM crls WHERE issuer_fingerprint = ?", issuer);
                if (stored.isPresent() && !stored.get().isBefore(crl.thisUpdate())) {
                    return selectCrls(connection, CRL_COLUMNS + "WHERE issuer_fingerprint = ?", issuer).get(0);
                }
                // the same parameters in the same order for both statements, the key last
                String sql = stored.isPresent()
                        ? "UPDATE crls SET issuer = ?, this_update = ?, next_update = ?, entries = ?, origin = ?,"
                                + " der = ?, stored_at = ? WHERE issuer_fingerprint = ?"
                        : "INSERT INTO crls (issuer, this_update, next_update, entries, origin, der, stored_at,"
                                + " issuer_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, crl.issuer());
                    Sql.setInstant(statement, 2, crl.thisUpdate());
                    Sql.setInstant(statement, 3, crl.nextUpdate());
                    statement.setInt(4, crl.entries());
                    statement.setString(5, crl.origin());
                    statement.setBytes(6, der);
                    Sql.setInstant(statement, 7, clock.instant());
                    statement.setString(8, issuer);
                    statement.executeUpdate();
                }
                StoreVersions.raise(connection, StoreVersions.REVOCATION);
                return crl;
            });
        } catch (SQLException e) {
            throw StoreException.of("cannot save the CRL of issuer " + issuer, e);
        }
    }

    @Override
    public Optional<StoredCrl> crl(String issuerFingerprint) {
        String wanted = issuerFingerprint.toLowerCase(Locale.ROOT);
        try (Connection connection = dataSource.getConnection()) {
            return selectCrls(connection, CRL_COLUMNS + "WHERE issuer_fingerprint = ?", wanted).stream().findFirst();
        } catch (SQLException e) {
            throw StoreException.of("cannot read the CRL of issuer " + wanted, e);
        }
    }

    /** Sorted here, not by the database: PostgreSQL orders text by the database's collation, H2 by code point. */
    @Override
    public List<StoredCrl> crls() {
        try (Connection connection = dataSource.getConnection()) {
            List<StoredCrl> crls = selectCrls(connection, CRL_COLUMNS);
            crls.sort(Comparator.comparing(StoredCrl::issuer).thenComparing(StoredCrl::issuerFingerprint));
            return crls;
        } catch (SQLException e) {
            throw StoreException.of("cannot list CRLs", e);
        }
    }

    @Override
    public void saveOcsp(OcspAnswer answer) {
        String certificate = answer.certificateFingerprint().toLowerCase(Locale.ROOT);
        try (Connection connection = dataSource.getConnection()) {
            Sql.inTransaction(connection, () -> {
                StoreVersions.lock(connection, StoreVersions.REVOCATION);
                Optional<Instant> stored = storedThisUpdate(connection,
                        "SELECT this_update FROM ocsp_answers WHERE certificate_fingerprint = ?", certificate);
                if (stored.isPresent() && !stored.get().isBefore(answer.thisUpdate())) {
                    return false;
                }
                String sql = stored.isPresent()
                        ? "UPDATE ocsp_answers SET revoked = ?, revoked_at = ?, this_update = ?, next_update = ?,"
                                + " responder = ?, response = ?, stored_at = ? WHERE certificate_fingerprint = ?"
                        : "INSERT INTO ocsp_answers (revoked, revoked_at, this_update, next_update, responder,"
                                + " response, stored_at, certificate_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setBoolean(1, answer.revoked());
                    Sql.setInstant(statement, 2, answer.revokedAt());
                    Sql.setInstant(statement, 3, answer.thisUpdate());
                    Sql.setInstant(statement, 4, answer.nextUpdate());
                    statement.setString(5, answer.responder());
                    statement.setBytes(6, answer.response());
                    Sql.setInstant(statement, 7, clock.instant());
                    statement.setString(8, certificate);
                    statement.executeUpdate();
                }
                StoreVersions.raise(connection, StoreVersions.REVOCATION);
                return true;
            });
        } catch (SQLException e) {
            throw StoreException.of("cannot save the OCSP answer about certificate " + certificate, e);
        }
    }

    @Override
    public Optional<OcspAnswer> ocsp(String certificateFingerprint) {
        String wanted = certificateFingerprint.toLowerCase(Locale.ROOT);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     OCSP_COLUMNS + "WHERE certificate_fingerprint = ?")) {
            statement.setString(1, wanted);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new OcspAnswer(rows.getString("certificate_fingerprint"),
                        rows.getBoolean("revoked"), Sql.getInstant(rows, "revoked_at"),
                        Sql.getInstant(rows, "this_update"), Sql.getInstant(rows, "next_update"),
                        rows.getString("responder"), rows.getBytes("response")));
            }
        } catch (SQLException e) {
            throw StoreException.of("cannot read the OCSP answer about certificate " + wanted, e);
        }
    }

    private static Optional<Instant> storedThisUpdate(Connection connection, String sql, String key)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(Sql.getInstant(rows, "this_update")) : Optional.empty();
            }
        }
    }

    private static List<StoredCrl> selectCrls(Connection connection, String sql, String... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<StoredCrl> crls = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    crls.add(readCrl(rows));
                }
            }
            return crls;
        }
    }

    private static StoredCrl readCrl(ResultSet rows) throws SQLException {
        String issuer = rows.getString("issuer_fingerprint");
        try {
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(rows.getBytes("der")));
            return new StoredCrl(issuer, rows.getString("issuer"), Sql.getInstant(rows, "this_update"),
                    Sql.getInstant(rows, "next_update"), rows.getInt("entries"), rows.getString("origin"), crl);
        } catch (CRLException | CertificateException e) {
            throw StoreException.of("stored CRL of issuer " + issuer + " cannot be read", e);
        }
    }

    private static byte[] encoded(StoredCrl crl) {
        try {
            return crl.crl().getEncoded();
        } catch (CRLException e) {
            throw new IllegalArgumentException("CRL of issuer " + crl.issuerFingerprint() + " cannot be encoded: "
                    + e.getMessage(), e);
        }
    }
}
