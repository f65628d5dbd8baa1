package org.smimegw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * The change counters of the {@code store_versions} table: {@link #raise} in the transaction that changes a table,
 * {@link #current} before reading from a cache. Every process on the store raises them, so a certificate imported by
 * the command line beside a running relay changes the counter the relay reads before its next message. Thread-safe.
 */
final class StoreVersions {
    static final String CERTIFICATES = "certificates";
    static final String PRIVATE_KEYS = "private_keys";
    static final String REVOCATION = "revocation";

    private final DataSource dataSource;

    StoreVersions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The counter now: one primary-key read. */
    long current(String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT version FROM store_versions WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new StoreException("store_versions has no row " + name);
                }
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw StoreException.of("cannot read the change counter of " + name, e);
        }
    }

    /**
     * Takes the counter's row lock until the caller's transaction ends, without raising it: the writers of one table
     * that read before they decide then take turns, across every process on the store, and each reads what the one
     * before it committed. Call it first in the transaction (one lock order, no deadlock).
     */
    static void lock(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT version FROM store_versions WHERE name = ? FOR UPDATE")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("store_versions has no row " + name);
                }
            }
        }
    }

    /** Raises the counter within the caller's transaction (or at once in auto-commit). */
    static void raise(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE store_versions SET version = version + 1 WHERE name = ?")) {
            statement.setString(1, name);
            statement.executeUpdate();
        }
    }
}
