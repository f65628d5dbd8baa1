package org.smimegw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * The change counters of the {@code store_versions} table: {@link #raise} in the transaction that changes a table,
 * {@link #current} before reading from a cache. Every process on the store raises them, so a certificate imported by
 * the command line beside a running relay changes the counter the relay reads before its next message. Inside
 * {@link #snapshot} (one message), every counter is read once, in one query, at the first {@link #current} call; a
 * change made through this store meanwhile is still seen at once, because the caches clear themselves on every change
 * they pass on. Thread-safe.
 */
final class StoreVersions {
    static final String CERTIFICATES = "certificates";
    static final String PRIVATE_KEYS = "private_keys";
    static final String REVOCATION = "revocation";

    /** The counters read in this thread's open snapshot; empty until the first read; absent outside a snapshot. */
    private final ThreadLocal<Map<String, Long>> snapshots = new ThreadLocal<>();

    private final DataSource dataSource;

    StoreVersions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} with every counter read at most once; a snapshot already open on this thread is kept. */
    <T> T snapshot(Supplier<T> work) {
        if (snapshots.get() != null) {
            return work.get();
        }
        snapshots.set(new HashMap<>());
        try {
            return work.get();
        } finally {
            snapshots.remove();
        }
    }

    /** The counter now: one primary-key read, or, in a snapshot, the value read with all the others. */
    long current(String name) {
        Map<String, Long> snapshot = snapshots.get();
        if (snapshot == null) {
            return read(name);
        }
        if (snapshot.isEmpty()) {
            snapshot.putAll(readAll());
        }
        return snapshot.computeIfAbsent(name, this::read);
    }

    private Map<String, Long> readAll() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT name, version FROM store_versions");
             ResultSet rows = statement.executeQuery()) {
            Map<String, Long> all = new HashMap<>();
            while (rows.next()) {
                all.put(rows.getString(1), rows.getLong(2));
            }
            return all;
        } catch (SQLException e) {
            throw StoreException.of("cannot read the change counters", e);
        }
    }

    private long read(String name) {
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
