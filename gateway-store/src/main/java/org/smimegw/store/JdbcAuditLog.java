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
import org.smimegw.core.port.AuditMatches;
import org.smimegw.core.port.AuditQuery;

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
        if (limit == 0) {
            return new ArrayList<>();
        }
        try (Connection connection = dataSource.getConnection()) {
            return events(connection, " ORDER BY id DESC LIMIT ?", List.of(limit));
        } catch (SQLException e) {
            throw StoreException.of("cannot read the audit log", e);
        }
    }

    /**
     * The text is matched with {@code LIKE} on both sides lower-cased by the database, its wildcards escaped, so
     * that it means itself; only the values travel as parameters, the statement's text is fixed.
     */
    @Override
    public AuditMatches search(AuditQuery query, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative: " + offset + ", " + limit);
        }
        StringBuilder where = new StringBuilder();
        List<Object> values = new ArrayList<>();
        if (query.action() != null) {
            where.append(" WHERE action = ?");
            values.add(query.action());
        }
        if (query.text() != null) {
            where.append(where.length() == 0 ? " WHERE " : " AND ").append("(LOWER(subject) LIKE LOWER(?) ESCAPE '\\'"
                    + " OR LOWER(decision) LIKE LOWER(?) ESCAPE '\\' OR LOWER(detail) LIKE LOWER(?) ESCAPE '\\')");
            String pattern = Sql.likeContaining(query.text());
            values.addAll(List.of(pattern, pattern, pattern));
        }
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM audit_log" + where)) {
                bind(statement, values);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<AuditEvent> events = List.of();
            if (limit > 0 && offset < total) {
                List<Object> paged = new ArrayList<>(values);
                paged.addAll(List.of(limit, offset));
                events = events(connection, where + " ORDER BY id DESC LIMIT ? OFFSET ?", paged);
            }
            return new AuditMatches(events, (int) Math.min(total, Integer.MAX_VALUE));
        } catch (SQLException e) {
            throw StoreException.of("cannot search the audit log", e);
        }
    }

    @Override
    public List<String> actions() {
        List<String> actions = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT DISTINCT action FROM audit_log ORDER BY action");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                actions.add(rows.getString(1));
            }
            return actions;
        } catch (SQLException e) {
            throw StoreException.of("cannot read the audit log's actions", e);
        }
    }

    /** The events of {@code SELECT ... FROM audit_log} followed by {@code rest}, with the values bound in order. */
    private static List<AuditEvent> events(Connection connection, String rest, List<Object> values)
            throws SQLException {
        List<AuditEvent> events = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT occurred_at, action, subject,"
                + " decision, detail FROM audit_log" + rest)) {
            bind(statement, values);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(new AuditEvent(Sql.getInstant(rows, "occurred_at"), rows.getString("action"),
                            rows.getString("subject"), rows.getString("decision"), rows.getString("detail")));
                }
            }
        }
        return events;
    }

    private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) instanceof Integer number) {
                statement.setInt(i + 1, number);
            } else {
                statement.setString(i + 1, (String) values.get(i));
            }
        }
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
