package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.testing.TestPki;

/**
 * What every {@link MessageQueue} promises about attempts that end without a result and messages that could not be
 * processed: the mechanism behind holding poison messages (ADR 13).
 */
public interface FailedAttemptsContract {
    Instant AT = TestPki.NOW;
    Duration LEASE_TIME = Duration.ofMinutes(5);
    byte[] RAW = "From: a@example.org\r\n\r\nas received\r\n".getBytes(StandardCharsets.US_ASCII);

    MessageQueue queue();

    @Test
    default void everyLeaseWithoutARecordedAttemptAddsAnUnfinishedAttempt() {
        String id = enqueueOne();

        assertEquals(1, queue().lease("w1", AT, LEASE_TIME).orElseThrow().entry().unfinishedAttempts());
        Instant afterTheLease = AT.plus(LEASE_TIME).plusSeconds(1);
        assertEquals(2, queue().lease("w2", afterTheLease, LEASE_TIME).orElseThrow().entry().unfinishedAttempts());
        assertEquals(2, queue().find(id).orElseThrow().unfinishedAttempts());
    }

    @Test
    default void aRecordedAttemptStartsTheCountAgain() {
        String id = enqueueOne();
        queue().lease("w1", AT, LEASE_TIME).orElseThrow();

        assertTrue(queue().finishAttempt(id, "w1", List.of(), AT.plusSeconds(60), "451 later"));

        assertEquals(0, queue().find(id).orElseThrow().unfinishedAttempts());
        assertEquals(1, queue().lease("w1", AT.plusSeconds(60), LEASE_TIME).orElseThrow().entry()
                .unfinishedAttempts());
    }

    @Test
    default void anAbandonedAttemptEndsTheLeaseKeepsTheCountAndSchedulesTheMessage() {
        String id = enqueueOne();
        queue().lease("w1", AT, LEASE_TIME).orElseThrow();
        Instant next = AT.plusSeconds(60);

        assertTrue(queue().abandonAttempt(id, "w1", "attempt failed: IllegalStateException", next));

        QueueEntry after = queue().find(id).orElseThrow();
        assertEquals(1, after.unfinishedAttempts());
        assertEquals(1, after.attempts());
        assertEquals(next, after.nextAttemptAt());
        assertEquals("attempt failed: IllegalStateException", after.lastResult());
        assertEquals(null, after.leaseOwner());
        assertTrue(queue().lease("w2", next.minusSeconds(1), LEASE_TIME).isEmpty(), "not due before its time");
        assertEquals(2, queue().lease("w2", next, LEASE_TIME).orElseThrow().entry().unfinishedAttempts());
    }

    @Test
    default void aLostLeaseCanNeitherBeAbandonedNorHeld() {
        String id = enqueueOne();
        queue().lease("w1", AT, LEASE_TIME).orElseThrow();
        queue().lease("w2", AT.plus(LEASE_TIME).plusSeconds(1), LEASE_TIME).orElseThrow();

        assertFalse(queue().abandonAttempt(id, "w1", "late", AT.plusSeconds(600)));
        assertFalse(queue().holdLeased(id, "w1", "late"));

        QueueEntry after = queue().find(id).orElseThrow();
        assertEquals("w2", after.leaseOwner());
        assertEquals(QueueState.QUEUED, after.state());
    }

    @Test
    default void holdingALeasedMessageKeepsItWithTheReasonUntilReleasedWithACleanCount() {
        String id = enqueueOne();
        queue().lease("w1", AT, LEASE_TIME).orElseThrow();

        assertTrue(queue().holdLeased(id, "w1", "held: 4 attempts ended without a result"));

        QueueEntry held = queue().find(id).orElseThrow();
        assertEquals(QueueState.HELD, held.state());
        assertEquals("held: 4 attempts ended without a result", held.lastResult());
        assertEquals(null, held.leaseOwner());
        assertTrue(queue().lease("w1", AT.plus(Duration.ofDays(1)), LEASE_TIME).isEmpty());
        Instant released = AT.plus(Duration.ofHours(1));
        assertTrue(queue().release(id, released));
        assertEquals(1, queue().lease("w1", released, LEASE_TIME).orElseThrow().entry().unfinishedAttempts());
    }

    @Test
    default void anUnprocessedMessageIsKeptAsReceivedWithItsReasonAndNeverLeased() {
        String id = QueueIds.next(AT);

        queue().enqueueUnprocessed(id, Direction.INBOUND, "a@example.org", List.of("b@example.com"),
                Bytes.of(RAW), AT, "processing failed: StackOverflowError");

        QueueEntry entry = queue().find(id).orElseThrow();
        assertEquals(QueueState.UNPROCESSED, entry.state());
        assertEquals(Direction.INBOUND, entry.direction());
        assertEquals("processing failed: StackOverflowError", entry.lastResult());
        assertEquals(List.of(RecipientStatus.pending("b@example.com")), entry.recipients());
        assertArrayEquals(RAW, queue().content(id).orElseThrow().toByteArray());
        assertTrue(queue().lease("w1", AT.plus(Duration.ofDays(30)), LEASE_TIME).isEmpty());
    }

    @Test
    default void anUnprocessedMessageCannotBeReleasedRetriedOrHeldIntoDelivery() {
        String id = QueueIds.next(AT);
        queue().enqueueUnprocessed(id, Direction.OUTBOUND, "a@example.org", List.of("b@example.com"),
                Bytes.of(RAW), AT, "processing failed");

        assertFalse(queue().release(id, AT.plusSeconds(1)), "release would deliver it as received");
        assertFalse(queue().retry(id, AT.plusSeconds(1)));
        assertFalse(queue().hold(id), "held, it could be released as received");

        assertEquals(QueueState.UNPROCESSED, queue().find(id).orElseThrow().state());
        assertTrue(queue().lease("w1", AT.plus(Duration.ofDays(30)), LEASE_TIME).isEmpty());
        assertTrue(queue().delete(id));
    }

    @Test
    default void anUnprocessedMessageTakesItsIdLikeAnyOther() {
        String id = enqueueOne();

        assertThrows(IllegalArgumentException.class, () -> queue().enqueueUnprocessed(id, Direction.OUTBOUND,
                "a@example.org", List.of("b@example.com"), Bytes.of(RAW), AT, "processing failed"));
    }

    private String enqueueOne() {
        String id = QueueIds.next(AT);
        queue().enqueue(id, Direction.OUTBOUND, "a@example.org", List.of("b@example.com"), RAW, AT);
        return id;
    }
}
