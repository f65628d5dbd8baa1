package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueIds;

/** What the JDBC queue promises beyond the port, on every database: how it stores, how it fails. */
public interface JdbcMessageQueueContract extends MessageQueueContract {

    /** A connection to the database under {@link #queue()}. */
    Connection connection() throws SQLException;

    /** The queue of another store on the same database, already closed. */
    MessageQueue queueOfAClosedStore();

    @Test
    default void nullSenderIsStoredAsTheEmptyStringNotAsNull() throws SQLException {
        String id = QueueIds.next(T);
        queue().enqueue(id, Direction.INBOUND, "", List.of("helpdesk@example.org"), CONTENT, T);

        try (Connection connection = connection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT sender FROM queue_messages WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next());
                assertEquals("", rows.getString("sender"));
                assertFalse(rows.wasNull());
            }
        }
    }

    @Test
    default void enqueueIsOneTransaction() {
        String id = QueueIds.next(T);
        // the second recipient does not fit its column: the message row written before it must go too
        List<String> recipients = List.of("b@example.com", "x".repeat(600) + "@example.com");

        StoreException refused = assertThrows(StoreException.class,
                () -> queue().enqueue(id, Direction.OUTBOUND, "a@example.org", recipients, CONTENT, T));

        assertTrue(refused.getMessage().startsWith("cannot enqueue " + id + ": "), refused.getMessage());
        assertTrue(queue().find(id).isEmpty());
        assertTrue(queue().list().isEmpty());
    }

    @Test
    default void enqueueAllIsOneTransaction() {
        String first = QueueIds.next(T);
        String second = QueueIds.next(T);
        // the second entry's recipient does not fit its column: the first entry, written before it, must go too
        List<MessageQueue.NewEntry> entries = List.of(
                new MessageQueue.NewEntry(first, Direction.OUTBOUND, "a@example.org", List.of("b@example.com"),
                        Bytes.of(CONTENT), T, null),
                new MessageQueue.NewEntry(second, Direction.OUTBOUND, "a@example.org",
                        List.of("x".repeat(600) + "@example.com"), Bytes.of(CONTENT), T, null));

        StoreException refused = assertThrows(StoreException.class, () -> queue().enqueueAll(entries, List.of()));

        assertTrue(refused.getMessage().startsWith("cannot enqueue " + first + ", " + second + ": "),
                refused.getMessage());
        assertTrue(queue().list().isEmpty());
    }

    @Test
    default void databaseFailuresAreOneLineStoreExceptionsNamingTheId() {
        MessageQueue closed = queueOfAClosedStore();
        String id = QueueIds.next(T);
        Map<String, Executable> calls = Map.ofEntries(
                Map.entry("cannot enqueue " + id + ": ", () -> closed.enqueue(id, Direction.OUTBOUND, "a@example.org",
                        List.of("b@example.com"), CONTENT, T)),
                Map.entry("cannot read queued message " + id + ": ", () -> closed.find(id)),
                Map.entry("cannot read the content of queued message " + id + ": ", () -> closed.content(id)),
                Map.entry("cannot finish the delivery attempt on queued message " + id + ": ",
                        () -> closed.finishAttempt(id, "w1", List.of(), T, "x")),
                Map.entry("cannot renew the lease on queued message " + id + ": ",
                        () -> closed.renewLease(id, "w1", T)),
                Map.entry("cannot retry queued message " + id + ": ", () -> closed.retry(id, T)),
                Map.entry("cannot hold queued message " + id + ": ", () -> closed.hold(id)),
                Map.entry("cannot release queued message " + id + ": ", () -> closed.release(id, T)),
                Map.entry("cannot delete queued message " + id + ": ", () -> closed.delete(id)),
                Map.entry("cannot lease a due message for w1: ", () -> closed.lease("w1", T, LEASE)),
                Map.entry("cannot list the queue: ", closed::list));

        calls.forEach((prefix, call) -> {
            StoreException failed = assertThrows(StoreException.class, call, prefix);
            assertTrue(failed.getMessage().startsWith(prefix), failed.getMessage());
            assertFalse(failed.getMessage().contains("\n"), failed.getMessage());
        });
    }
}
