package org.smimegw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;

/**
 * {@link AuditLog} on the {@code audit_log} table. The identity column gives the order of recording, which is what
 * "newest first" means here, even when events carry equal or pinned timestamps. Thread-safe.
 */
final class JdbcAuditLog implements AuditLog {
    /**
     * Subject and detail come partly from senders (a Message-ID, recipient lists); an oversized value is
     * clipped rather than losing the event. H2 caps VARCHAR at 1,000,000 characters.
     */
    private static final int MAX_TEXT = 100_000;
    /** The width of the action and decision columns. */
    private static final int MAX_WORD = 64;

    private final DataSource dataSource;
    private final GroupCommit commits;

    /** @param commits the store's group commit, shared with the queue's writes */
    JdbcAuditLog(DataSource dataSource, GroupCommit commits) {
        this.dataSource = dataSource;
        this.commits = commits;
    }

    /**
     * Committed together with whatever other threads write at the same moment ({@link GroupCommit}); returns once the
     * event is durable, or throws.
     */
    @Override
    public void record(AuditEvent event) {
        try {
            commits.run(connection -> {
                insert(connection, List.of(event));
                return null;
            });
        } catch (SQLException e) {
            throw StoreException.of("cannot record audit event " + event.action() + " " + event.subject(), e);
        }
    }

    /** Writes the events in order, in the connection's transaction. */
    static void insert(Connection connection, List<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO audit_log"
                + " (occurred_at, action, subject, decision, detail) VALUES (?, ?, ?, ?, ?)")) {
            for (AuditEvent event : events) {
                Sql.setInstant(statement, 1, event.at());
                statement.setString(2, clip(event.action(), MAX_WORD));
                statement.setString(3, clip(event.subject(), MAX_TEXT));
                statement.setString(4, clip(event.decision(), MAX_WORD));
                statement.setString(5, clip(event.detail(), MAX_TEXT));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        List<AuditEvent> events = new ArrayList<>();
        if (limit == 0) {
            return events;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT occurred_at, action, subject,"
                     + " decision, detail FROM audit_log ORDER BY id DESC LIMIT ?")) {
            statement.setInt(1, limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(new AuditEvent(Sql.getInstant(rows, "occurred_at"), rows.getString("action"),
                            rows.getString("subject"), rows.getString("decision"), rows.getString("detail")));
                }
            }
            return events;
        } catch (SQLException e) {
            throw StoreException.of("cannot read the audit log", e);
        }
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
