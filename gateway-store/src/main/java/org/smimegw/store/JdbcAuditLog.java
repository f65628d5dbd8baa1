package org.smimegw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

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
    private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writer = new ReentrantLock();

    JdbcAuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An event waiting to be written, and how its write ended. Read and written under {@link #writer}. */
    private static final class Pending {
        final AuditEvent event;
        boolean written;
        SQLException failure;

        Pending(AuditEvent event) {
            this.event = event;
        }
    }

    /**
     * Group commit: every caller queues its event and takes the writer lock; whoever gets it writes all queued
     * events in one transaction, so concurrent callers (listener threads, delivery workers) share one commit
     * instead of making one each. Each caller returns only once its own event is committed, or throws.
     */
    @Override
    public void record(AuditEvent event) {
        Pending mine = new Pending(event);
        waiting.add(mine);
        writer.lock();
        try {
            if (!mine.written) {
                List<Pending> batch = new ArrayList<>();
                for (Pending next = waiting.poll(); next != null; next = waiting.poll()) {
                    batch.add(next);
                }
                SQLException failure = insert(batch);
                for (Pending done : batch) {
                    done.failure = failure;
                    done.written = true;
                }
            }
            if (mine.failure != null) {
                throw StoreException.of("cannot record audit event " + event.action() + " " + event.subject(),
                        mine.failure);
            }
        } finally {
            writer.unlock();
        }
    }

    /** Writes the events in order, in one transaction; the failure, or null. */
    private SQLException insert(List<Pending> batch) {
        try (Connection connection = dataSource.getConnection()) {
            return Sql.inTransaction(connection, () -> {
                try (PreparedStatement statement = connection.prepareStatement("INSERT INTO audit_log"
                        + " (occurred_at, action, subject, decision, detail) VALUES (?, ?, ?, ?, ?)")) {
                    for (Pending pending : batch) {
                        AuditEvent event = pending.event;
                        Sql.setInstant(statement, 1, event.at());
                        statement.setString(2, clip(event.action(), MAX_WORD));
                        statement.setString(3, clip(event.subject(), MAX_TEXT));
                        statement.setString(4, clip(event.decision(), MAX_WORD));
                        statement.setString(5, clip(event.detail(), MAX_TEXT));
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
                return null;
            });
        } catch (SQLException e) {
            return e;
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
