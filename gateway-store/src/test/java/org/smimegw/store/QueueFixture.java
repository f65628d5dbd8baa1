package org.smimegw.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.testing.TestPki;

/** The queue under test, the pinned time and the message the parts of {@link MessageQueueContract} work with. */
public interface QueueFixture {
    Instant T = TestPki.NOW;
    Duration LEASE = Duration.ofMinutes(5);
    byte[] CONTENT = "From: a@example.org\r\nTo: b@example.com\r\nSubject: caf\u00e9\r\n\r\nbody\r\n"
            .getBytes(StandardCharsets.UTF_8);

    MessageQueue queue();

    /** The same queue as seen by another node (another store on the same database); the same object in memory. */
    default MessageQueue sameQueueFromAnotherNode() {
        return queue();
    }

    /** Enqueues an outbound message received at {@code at}, with {@link #CONTENT}; returns its new id. */
    default String enqueue(Instant at, String sender, String... recipients) {
        String id = QueueIds.next(at);
        queue().enqueue(id, Direction.OUTBOUND, sender, List.of(recipients), CONTENT, at);
        return id;
    }

    /** The recipients' addresses in the entry's order. */
    default List<String> addresses(QueueEntry entry) {
        return entry.recipients().stream().map(RecipientStatus::address).toList();
    }
}
