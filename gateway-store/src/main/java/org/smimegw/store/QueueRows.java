package org.smimegw.store;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.RecipientStatus;

/** Reads queue entries and contents for {@link JdbcMessageQueue}, on the caller's connection. */
final class QueueRows {
    private static final String ENTRIES = "SELECT m.id, m.direction, m.state, m.sender, m.received_at,"
            + " m.next_attempt_at, m.attempts, m.last_result, m.size, m.lease_owner, m.lease_until,"
            + " m.unfinished_attempts, m.verdicts, r.address, r.state AS recipient_state, r.last_reply FROM queue_messages m"
            + " LEFT JOIN queue_recipients r ON r.message_id = m.id ";

    private QueueRows() {
    }

    /** One statement, so one consistent view of the messages and their recipients; rows grouped by message. */
    static List<QueueEntry> entries(Connection connection, String where, String... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ENTRIES + where)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<QueueEntry> entries = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                boolean more = rows.next();
                while (more) {
                    String id = rows.getString("id");
                    QueueEntry first = entry(rows, id, List.of());
                    List<RecipientStatus> recipients = new ArrayList<>();
                    do {
                        if (rows.getString("address") != null) {
                            recipients.add(new RecipientStatus(rows.getString("address"),
                                    word(RecipientStatus.State.class, rows.getString("recipient_state"), id),
                                    rows.getString("last_reply")));
                        }
                        more = rows.next();
                    } while (more && id.equals(rows.getString("id")));
                    entries.add(withRecipients(first, recipients));
                }
            }
            return entries;
        }
    }

    private static QueueEntry entry(ResultSet rows, String id, List<RecipientStatus> recipients)
            throws SQLException {
        String sender = rows.getString("sender");
        return new QueueEntry(id, word(Direction.class, rows.getString("direction"), id),
                word(QueueState.class, rows.getString("state"), id), sender == null ? "" : sender, recipients,
                Sql.getInstant(rows, "received_at"), Sql.getInstant(rows, "next_attempt_at"), rows.getInt("attempts"),
                rows.getString("last_result"), rows.getLong("size"), rows.getString("lease_owner"),
                Sql.getInstant(rows, "lease_until"), rows.getInt("unfinished_attempts"), rows.getString("verdicts"));
    }

    private static QueueEntry withRecipients(QueueEntry e, List<RecipientStatus> recipients) {
        return new QueueEntry(e.id(), e.direction(), e.state(), e.sender(), recipients, e.receivedAt(),
                e.nextAttemptAt(), e.attempts(), e.lastResult(), e.size(), e.leaseOwner(), e.leaseUntil(),
                e.unfinishedAttempts(), e.verdicts());
    }

    static Optional<Bytes> content(Connection connection, String id, SpoolArea spool) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT content FROM queue_messages WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(spooled(rows, "content", spool)) : Optional.empty();
            }
        }
    }

    /** A binary column read as a stream into a spool (ADR 10): a large message never lands on the heap. */
    static Bytes spooled(ResultSet rows, String column, SpoolArea spool) throws SQLException {
        try (InputStream in = rows.getBinaryStream(column)) {
            return in == null ? Bytes.EMPTY : spool.copyOf(in);
        } catch (IOException e) {
            throw new SQLException("cannot spool column " + column + ": " + e.getMessage(), e);
        }
    }

    static <E extends Enum<E>> E word(Class<E> type, String word, String id) {
        try {
            return Enum.valueOf(type, word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreException("queued message " + id + " has an unknown " + type.getSimpleName().toLowerCase(
                    Locale.ROOT) + " '" + word + "'");
        }
    }
}
