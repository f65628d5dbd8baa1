package org.smimegw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.QueueStats;
import org.smimegw.core.queue.RecipientStatus;

/**
 * {@link MessageQueue} on the {@code queue_messages} and {@code queue_recipients} tables. Every state change is one
 * transaction; a new message and the end of an attempt share their commit with other threads' writes
 * ({@link GroupCommit}), together with their audit events. Reads go to the database, so every process and node on
 * the store sees the same queue. Leases are claimed and renewed by {@link QueueLeases}: with
 * {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, with a conditional UPDATE whose update count says who won on H2.
 * Instants are kept to the microsecond (both databases' precision); a null sender is stored as {@code ''}.
 * Thread-safe.
 */
final class JdbcMessageQueue implements MessageQueue {
    /** The relay's replies come from another server; an absurd one is clipped rather than failing the attempt. */
    private static final int MAX_TEXT = 100_000;
    /** The width of the {@code verdicts} column (V5). */
    private static final int MAX_VERDICTS = 200;
    /** Counts and the oldest arrival per direction and state, in one statement: one consistent look. */
    private static final String STATS = "SELECT direction, state, COUNT(*) AS messages, MIN(received_at) AS oldest"
            + " FROM queue_messages GROUP BY direction, state";

    private final DataSource dataSource;
    private final GroupCommit commits;
    private final QueueLeases leases;
    private final SpoolArea spool;

    /**
     * @param commits the store's group commit, shared with the audit log
     * @param spool where contents read back are spooled
     */
    JdbcMessageQueue(DataSource dataSource, GroupCommit commits, JdbcUrls.Database database, SpoolArea spool) {
        this.dataSource = dataSource;
        this.commits = commits;
        this.leases = new QueueLeases(dataSource, commits, database, spool);
        this.spool = spool;
    }

    @Override
    public void enqueueAll(List<NewEntry> entries, List<AuditEvent> audit) {
        Set<String> ids = new LinkedHashSet<>();
        for (NewEntry entry : entries) {
            if (entry.recipients().isEmpty()) {
                throw new IllegalArgumentException("cannot enqueue " + entry.id() + ": no recipients");
            }
            if (!ids.add(entry.id())) {
                throw new IllegalArgumentException("cannot enqueue " + entry.id() + ": the id is twice in the list");
            }
        }
        insert(String.join(", ", ids), ids.size() == 1, connection -> {
            for (NewEntry entry : entries) {
                insertMessage(connection, entry.id(), entry.direction(), QueueState.QUEUED, entry.sender(),
                        entry.content(), entry.receivedAt(), null, entry.verdicts());
                insertRecipients(connection, entry.id(), entry.recipients());
            }
            JdbcAuditLog.insert(connection, audit);
            return null;
        });
    }

    @Override
    public void enqueueUnprocessed(String id, Direction direction, String sender, List<String> recipients,
            Bytes content, Instant receivedAt, String reason) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("cannot enqueue " + id + ": no recipients");
        }
        insert(id, true, connection -> {
            insertMessage(connection, id, direction, QueueState.UNPROCESSED, sender, content, receivedAt, reason,
                    null);
            insertRecipients(connection, id, recipients);
            return null;
        });
    }

    /**
     * Runs the inserts of new messages in one commit shared with other threads' writes.
     *
     * @param ids the ids of the messages inserted, for the exceptions
     * @param one whether that is a single id
     */
    private void insert(String ids, boolean one, GroupCommit.Write<Void> inserts) {
        try {
            commits.run(inserts);
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                throw new IllegalArgumentException("cannot enqueue " + ids
                        + (one ? ": the id is taken" : ": one of the ids is taken"), e);
            }
            throw StoreException.of("cannot enqueue " + ids, e);
        }
    }

    /** A null sender is stored as {@code ''}; {@code receivedAt} is kept to the microsecond. */
    private static void insertMessage(Connection connection, String id, Direction direction, QueueState state,
            String sender, Bytes content, Instant receivedAt, String lastResult, String verdicts) throws SQLException {
        Instant at = micros(receivedAt);
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO queue_messages (id, direction,"
                + " state, sender, received_at, next_attempt_at, attempts, size, last_result, content, verdicts)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)")) {
            statement.setString(1, id);
            statement.setString(2, direction.word());
            statement.setString(3, state.word());
            statement.setString(4, sender == null ? "" : sender);
            Sql.setInstant(statement, 5, at);
            Sql.setInstant(statement, 6, at);
            statement.setLong(7, content.length());
            statement.setString(8, clip(lastResult));
            statement.setBinaryStream(9, content.openStream(), content.length());
            statement.setString(10, verdicts == null ? null : clip(verdicts, MAX_VERDICTS));
            statement.executeUpdate();
        }
    }

    private static void insertRecipients(Connection connection, String id, List<String> recipients)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO queue_recipients"
                + " (message_id, position, address, state) VALUES (?, ?, ?, 'pending')")) {
            for (int i = 0; i < recipients.size(); i++) {
                statement.setString(1, id);
                statement.setInt(2, i);
                statement.setString(3, recipients.get(i));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    @Override
    public Optional<Leased> lease(String owner, Instant now, Duration leaseTime) {
        try {
            return leases.lease(owner, micros(now), micros(now.plus(leaseTime)));
        } catch (SQLException e) {
            throw StoreException.of("cannot lease a due message for " + owner, e);
        }
    }

    @Override
    public boolean renewLease(String id, String owner, Instant until) {
        try {
            return leases.renew(id, owner, micros(until));
        } catch (SQLException e) {
            throw StoreException.of("cannot renew the lease on queued message " + id, e);
        }
    }

    @Override
    public boolean finishAttempt(String id, String owner, List<RecipientStatus> outcomes, Instant nextAttemptAt,
            String lastResult, List<AuditEvent> audit) {
        try {
            return commits.run(connection -> finish(connection, id, owner, outcomes, nextAttemptAt, lastResult, audit));
        } catch (SQLException e) {
            throw StoreException.of("cannot finish the delivery attempt on queued message " + id, e);
        }
    }

    @Override
    public Finished finishAttemptAndLease(String id, String owner, List<RecipientStatus> outcomes,
            Instant nextAttemptAt, String lastResult, List<AuditEvent> audit, Instant now, Duration leaseTime) {
        try {
            return commits.run(connection -> {
                boolean recorded = finish(connection, id, owner, outcomes, nextAttemptAt, lastResult, audit);
                return new Finished(recorded, leases.leaseIn(connection, owner, micros(now),
                        micros(now.plus(leaseTime))));
            });
        } catch (SQLException e) {
            throw StoreException.of("cannot finish the delivery attempt on queued message " + id
                    + " and lease the next", e);
        }
    }

    /** In the caller's transaction; see {@link #finishAttempt}. */
    private static boolean finish(Connection connection, String id, String owner, List<RecipientStatus> outcomes,
            Instant nextAttemptAt, String lastResult, List<AuditEvent> audit) throws SQLException {
        Map<String, RecipientStatus> byAddress = new LinkedHashMap<>();
        outcomes.forEach(outcome -> byAddress.putIfAbsent(outcome.address(), outcome));
        // the message row first, as delete does: the same lock order everywhere, so no deadlock
        try (PreparedStatement statement = connection.prepareStatement("UPDATE queue_messages"
                + " SET next_attempt_at = ?, attempts = attempts + 1, last_result = ?, lease_owner = NULL,"
                + " lease_until = NULL, unfinished_attempts = 0 WHERE id = ? AND lease_owner = ?")) {
            Sql.setInstant(statement, 1, micros(nextAttemptAt));
            statement.setString(2, clip(lastResult));
            statement.setString(3, id);
            statement.setString(4, owner);
            if (statement.executeUpdate() != 1) {
                return false;
            }
        }
        updateRecipients(connection, id, byAddress.values());
        if (pendingRecipients(connection, id) == 0) {
            delete(connection, id);
        }
        JdbcAuditLog.insert(connection, audit);
        return true;
    }

    private static void updateRecipients(Connection connection, String id, Iterable<RecipientStatus> outcomes)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE queue_recipients"
                + " SET state = ?, last_reply = ? WHERE message_id = ? AND address = ?")) {
            for (RecipientStatus outcome : outcomes) {
                statement.setString(1, outcome.state().word());
                statement.setString(2, clip(outcome.lastReply()));
                statement.setString(3, id);
                statement.setString(4, outcome.address());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static int pendingRecipients(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT COUNT(*) FROM queue_recipients WHERE message_id = ? AND state = 'pending'")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @Override
    public boolean abandonAttempt(String id, String owner, String reason, Instant nextAttemptAt) {
        return change("end the failed attempt on queued message " + id, "UPDATE queue_messages SET next_attempt_at = ?,"
                + " attempts = attempts + 1, last_result = ?, lease_owner = NULL, lease_until = NULL"
                + " WHERE id = ? AND lease_owner = ?", micros(nextAttemptAt), clip(reason), id, owner);
    }

    @Override
    public boolean holdLeased(String id, String owner, String reason) {
        return change("hold queued message " + id, "UPDATE queue_messages SET state = 'held', last_result = ?,"
                + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?", clip(reason), id, owner);
    }

    @Override
    public List<QueueEntry> list() {
        try (Connection connection = dataSource.getConnection()) {
            return QueueRows.entries(connection, "ORDER BY m.received_at, m.id, r.position");
        } catch (SQLException e) {
            throw StoreException.of("cannot list the queue", e);
        }
    }

    @Override
    public Optional<QueueEntry> find(String id) {
        try (Connection connection = dataSource.getConnection()) {
            return QueueRows.entries(connection, "WHERE m.id = ? ORDER BY r.position", id).stream().findFirst();
        } catch (SQLException e) {
            throw StoreException.of("cannot read queued message " + id, e);
        }
    }

    @Override
    public Optional<Bytes> content(String id) {
        try (Connection connection = dataSource.getConnection()) {
            return QueueRows.content(connection, id, spool);
        } catch (SQLException e) {
            throw StoreException.of("cannot read the content of queued message " + id, e);
        }
    }

    @Override
    public boolean retry(String id, Instant now) {
        return change("retry queued message " + id,
                "UPDATE queue_messages SET next_attempt_at = ? WHERE id = ? AND state = 'queued'", micros(now), id);
    }

    @Override
    public boolean hold(String id) {
        return change("hold queued message " + id, "UPDATE queue_messages SET state = 'held' WHERE id = ?"
                + " AND state <> 'unprocessed'", id);
    }

    @Override
    public boolean release(String id, Instant now) {
        return change("release queued message " + id, "UPDATE queue_messages SET state = 'queued',"
                + " next_attempt_at = ?, unfinished_attempts = 0 WHERE id = ? AND state = 'held'", micros(now), id);
    }

    @Override
    public boolean delete(String id) {
        try (Connection connection = dataSource.getConnection()) {
            return delete(connection, id);
        } catch (SQLException e) {
            throw StoreException.of("cannot delete queued message " + id, e);
        }
    }

    /** Its recipients go with it (ON DELETE CASCADE), in the same statement. */
    private static boolean delete(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM queue_messages WHERE id = ?")) {
            statement.setString(1, id);
            return statement.executeUpdate() > 0;
        }
    }

    /** One UPDATE in auto-commit; true when it changed a row. Parameters are instants or strings. */
    private boolean change(String doing, String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof Instant instant) {
                    Sql.setInstant(statement, i + 1, instant);
                } else {
                    statement.setString(i + 1, (String) parameters[i]);
                }
            }
            return statement.executeUpdate() > 0;
        } catch (SQLException e) {
            throw StoreException.of("cannot " + doing, e);
        }
    }

    @Override
    public QueueStats stats() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(STATS);
             ResultSet rows = statement.executeQuery()) {
            QueueStats.Builder stats = QueueStats.builder();
            while (rows.next()) {
                stats.add(QueueRows.word(Direction.class, rows.getString("direction"), "(stats)"),
                        QueueRows.word(QueueState.class, rows.getString("state"), "(stats)"), rows.getLong("messages"),
                        Sql.getInstant(rows, "oldest"));
            }
            return stats.build();
        } catch (SQLException e) {
            throw StoreException.of("cannot count the queued messages", e);
        }
    }

    /** Both databases keep microseconds; truncating here makes what is read back what was compared. */
    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static String clip(String text) {
        return clip(text, MAX_TEXT);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
