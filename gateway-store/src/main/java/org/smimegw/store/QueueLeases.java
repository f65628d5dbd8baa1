package org.smimegw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.queue.MessageQueue.Leased;
import org.smimegw.core.queue.QueueEntry;

/**
 * Claims and renews leases for {@link JdbcMessageQueue}: every SQL statement that decides who owns a message is here.
 * The way of claiming is chosen once, from the database (ADR 7, ADR 17):
 * <ul>
 * <li>PostgreSQL: the transaction locks the longest-due unleased row with {@code FOR UPDATE SKIP LOCKED}, leases it
 * and reads it. Workers on any node skip each other's locked rows instead of racing for the same candidate.</li>
 * <li>H2 (no SKIP LOCKED): a few due candidates are read, and each is claimed with a conditional UPDATE whose update
 * count says who won.</li>
 * </ul>
 * Both give the same lease: the longest-due message, {@code unfinished_attempts} raised by one. Instants arrive
 * truncated to the microsecond. Thread-safe.
 */
final class QueueLeases {
    /** How many due candidates one look at the queue yields, and how often a worker that lost them all looks again. */
    private static final int CANDIDATES = 8;
    private static final int ROUNDS = 4;

    /** Due and unleased; a lease lasts up to and including its end. */
    private static final String DUE_WHERE = " WHERE state = 'queued' AND next_attempt_at <= ?"
            + " AND (lease_until IS NULL OR lease_until < ?)";
    /**
     * Longest due first. The order is exactly the index {@code queue_messages_due (state, next_attempt_at)}, so the
     * database walks the index and stops after the first rows; ordering by more columns made H2 read and sort every
     * due row on each lease, which slowed delivery down as a backlog grew.
     */
    private static final String DUE_ORDER = " ORDER BY state, next_attempt_at";
    /** H2: the candidates, read without locks. */
    private static final String DUE = "SELECT id FROM queue_messages" + DUE_WHERE + DUE_ORDER + " LIMIT " + CANDIDATES;
    /** PostgreSQL: the row to lease, locked until commit; rows locked by other claims are skipped, not waited for. */
    private static final String DUE_LOCKED = "SELECT id FROM queue_messages" + DUE_WHERE + DUE_ORDER
            + " LIMIT 1 FOR UPDATE SKIP LOCKED";
    /** Claims a message only if it is still due and unleased: an update count of 0 means another worker won. */
    private static final String CLAIM = "UPDATE queue_messages SET lease_owner = ?, lease_until = ?,"
            + " unfinished_attempts = unfinished_attempts + 1 WHERE id = ?"
            + " AND state = 'queued' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)";
    /** Only the owner renews; an ended lease still counts for its owner until another owner takes the message. */
    private static final String RENEW = "UPDATE queue_messages SET lease_until = ? WHERE id = ? AND lease_owner = ?";

    private final DataSource dataSource;
    private final GroupCommit commits;
    private final boolean skipLocked;
    private final SpoolArea spool;

    /** @param commits the store's group commit: a lease shares its commit with the other writes of the moment */
    QueueLeases(DataSource dataSource, GroupCommit commits, JdbcUrls.Database database, SpoolArea spool) {
        this.dataSource = dataSource;
        this.commits = commits;
        this.skipLocked = database == JdbcUrls.Database.POSTGRESQL;
        this.spool = spool;
    }

    /**
     * See {@link org.smimegw.core.queue.MessageQueue#lease}; {@code at} and {@code until} in microseconds. The workers
     * of this process whose leases share a transaction claim one after the other in it, each seeing the claims before
     * its own, so they never race for the same row.
     */
    Optional<Leased> lease(String owner, Instant at, Instant until) throws SQLException {
        return commits.run(connection -> leaseIn(connection, owner, at, until));
    }

    /** {@link #lease} in the caller's transaction. */
    Optional<Leased> leaseIn(Connection connection, String owner, Instant at, Instant until) throws SQLException {
        return skipLocked ? leaseSkippingLocked(connection, owner, at, until)
                : leaseOptimistically(connection, owner, at, until);
    }

    private Optional<Leased> leaseSkippingLocked(Connection connection, String owner, Instant at,
            Instant until) throws SQLException {
        Optional<String> id = firstUnlocked(connection, at);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Optional<Leased> leased = claim(connection, id.get(), owner, at, until);
        if (leased.isEmpty()) {
            // the row is locked by this transaction and was due a moment ago: nothing else could change it
            throw new SQLException("locked due message " + id.get() + " could not be claimed");
        }
        return leased;
    }

    private static Optional<String> firstUnlocked(Connection connection, Instant at) throws SQLException {
        List<String> ids = select(connection, DUE_LOCKED, at);
        return ids.stream().findFirst();
    }

    private Optional<Leased> leaseOptimistically(Connection connection, String owner, Instant at,
            Instant until) throws SQLException {
        for (int round = 0; round < ROUNDS; round++) {
            List<String> candidates = select(connection, DUE, at);
            for (String id : candidates) {
                Optional<Leased> leased = claim(connection, id, owner, at, until);
                if (leased.isPresent()) {
                    return leased;
                }
            }
            if (candidates.size() < CANDIDATES) {
                // every due message was looked at and taken by someone else
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static List<String> select(Connection connection, String sql, Instant at) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Sql.setInstant(statement, 1, at);
            Sql.setInstant(statement, 2, at);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString("id"));
                }
            }
            return ids;
        }
    }

    /** In the caller's transaction: the row lock taken by the UPDATE keeps the entry as leased until commit. */
    private Optional<Leased> claim(Connection connection, String id, String owner, Instant at, Instant until)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            statement.setString(1, owner);
            Sql.setInstant(statement, 2, until);
            statement.setString(3, id);
            Sql.setInstant(statement, 4, at);
            Sql.setInstant(statement, 5, at);
            if (statement.executeUpdate() != 1) {
                return Optional.empty();
            }
        }
        Optional<QueueEntry> entry = QueueRows.entries(connection, "WHERE m.id = ? ORDER BY r.position", id).stream()
                .findFirst();
        Optional<Bytes> content = QueueRows.content(connection, id, spool);
        if (entry.isEmpty() || content.isEmpty()) {
            throw new SQLException("leased message " + id + " vanished under its lease");
        }
        return Optional.of(new Leased(entry.get(), content.get()));
    }

    /** See {@link org.smimegw.core.queue.MessageQueue#renewLease}; {@code until} in microseconds. */
    boolean renew(String id, String owner, Instant until) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(RENEW)) {
            Sql.setInstant(statement, 1, until);
            statement.setString(2, id);
            statement.setString(3, owner);
            return statement.executeUpdate() == 1;
        }
    }
}
