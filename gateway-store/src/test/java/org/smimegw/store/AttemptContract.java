package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.queue.RecipientStatus.State;

/** What every {@link MessageQueue} promises about recording a delivery attempt under a lease. */
public interface AttemptContract extends QueueFixture {

    @Test
    default void attemptAfterTheLeaseWasLostChangesNothing() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();
        queue().lease("w2", T.plus(LEASE).plusSeconds(1), LEASE).orElseThrow();
        QueueEntry before = queue().find(id).orElseThrow();

        assertFalse(queue().finishAttempt(id, "w1",
                List.of(new RecipientStatus("b@example.com", State.DELIVERED, "250 ok")), T.plusSeconds(60), "sent"));

        assertEquals(before, queue().find(id).orElseThrow());
        assertTrue(queue().finishAttempt(id, "w2",
                List.of(new RecipientStatus("b@example.com", State.DELIVERED, "250 ok")), T.plusSeconds(60), "sent"));
        assertTrue(queue().find(id).isEmpty());
    }

    @Test
    default void attemptByAnOwnerThatNeverLeasedTheMessageIsRefused() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        QueueEntry before = queue().find(id).orElseThrow();

        assertFalse(queue().finishAttempt(id, "w1", List.of(), T.plusSeconds(60), "451 later"));

        assertEquals(before, queue().find(id).orElseThrow());
    }

    @Test
    default void attemptOnAMessageDeletedUnderItsLeaseReturnsFalse() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();

        assertTrue(queue().delete(id));

        assertFalse(queue().finishAttempt(id, "w1",
                List.of(new RecipientStatus("b@example.com", State.PENDING, "451 later")), T.plusSeconds(60), "x"));
        assertTrue(queue().find(id).isEmpty());
    }

    @Test
    default void partialDeliveryKeepsThePendingRecipientsAndSchedulesTheNextAttempt() {
        String id = enqueue(T, "a@example.org", "b@example.com", "c@example.com", "d@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();
        Instant next = T.plusSeconds(300);

        assertTrue(queue().finishAttempt(id, "w1", List.of(
                new RecipientStatus("b@example.com", State.DELIVERED, "250 2.0.0 ok"),
                new RecipientStatus("c@example.com", State.PENDING, "451 4.7.1 greylisted")), next,
                "1 delivered, 1 deferred"));

        QueueEntry after = queue().find(id).orElseThrow();
        assertEquals(List.of(new RecipientStatus("b@example.com", State.DELIVERED, "250 2.0.0 ok"),
                new RecipientStatus("c@example.com", State.PENDING, "451 4.7.1 greylisted"),
                RecipientStatus.pending("d@example.com")), after.recipients());
        assertEquals(List.of("c@example.com", "d@example.com"), after.pendingRecipients());
        assertEquals(next, after.nextAttemptAt());
        assertEquals(1, after.attempts());
        assertEquals("1 delivered, 1 deferred", after.lastResult());
        assertNull(after.leaseOwner());
        assertNull(after.leaseUntil());
        assertEquals(QueueState.QUEUED, after.state());
        assertEquals(T, after.receivedAt());
        assertArrayEquals(CONTENT, queue().content(id).orElseThrow().toByteArray());
        assertTrue(queue().lease("w2", next.minusSeconds(1), LEASE).isEmpty());
        assertEquals(List.of("c@example.com", "d@example.com"),
                queue().lease("w2", next, LEASE).orElseThrow().entry().pendingRecipients());
    }

    @Test
    default void outcomeForAnAddressTheMessageDoesNotHaveIsIgnored() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();

        assertTrue(queue().finishAttempt(id, "w1", List.of(
                new RecipientStatus("B@example.com", State.DELIVERED, "250 ok"),
                new RecipientStatus("stranger@example.com", State.DELIVERED, "250 ok")), T.plusSeconds(60), "x"));

        assertEquals(List.of(RecipientStatus.pending("b@example.com")),
                queue().find(id).orElseThrow().recipients());
    }

    @Test
    default void attemptsAreCounted() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        for (int i = 1; i <= 3; i++) {
            Instant now = T.plusSeconds(60L * i);
            queue().lease("w1", now, LEASE).orElseThrow();
            assertTrue(queue().finishAttempt(id, "w1", List.of(), now, "451 attempt " + i));
        }

        QueueEntry after = queue().find(id).orElseThrow();
        assertEquals(3, after.attempts());
        assertEquals("451 attempt 3", after.lastResult());
    }

    @Test
    default void messageIsRemovedWhenEveryRecipientIsDelivered() {
        String id = enqueue(T, "a@example.org", "b@example.com", "c@example.com");
        String other = enqueue(T.plusSeconds(1), "a@example.org", "d@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();

        assertTrue(queue().finishAttempt(id, "w1", List.of(
                new RecipientStatus("b@example.com", State.DELIVERED, "250 ok"),
                new RecipientStatus("c@example.com", State.DELIVERED, "250 ok")), T.plusSeconds(60), "delivered"));

        assertTrue(queue().find(id).isEmpty());
        assertTrue(queue().content(id).isEmpty());
        assertEquals(List.of(other), queue().list().stream().map(QueueEntry::id).toList());
    }

    @Test
    default void messageIsRemovedWhenNoRecipientIsPendingEvenIfSomeFailed() {
        String id = enqueue(T, "a@example.org", "b@example.com", "c@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();
        queue().finishAttempt(id, "w1", List.of(new RecipientStatus("b@example.com", State.DELIVERED, "250 ok")),
                T.plusSeconds(60), "deferred");
        queue().lease("w1", T.plusSeconds(60), LEASE).orElseThrow();

        assertTrue(queue().finishAttempt(id, "w1",
                List.of(new RecipientStatus("c@example.com", State.FAILED, "550 5.1.1 no such user")),
                T.plusSeconds(120), "failed"));

        assertTrue(queue().find(id).isEmpty());
        assertTrue(queue().list().isEmpty());
    }

    @Test
    default void messageHeldDuringItsLeaseStaysHeldAfterTheAttempt() {
        String id = enqueue(T, "a@example.org", "b@example.com", "c@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();

        assertTrue(queue().hold(id));
        assertTrue(queue().finishAttempt(id, "w1",
                List.of(new RecipientStatus("b@example.com", State.DELIVERED, "250 ok")), T.plusSeconds(60), "1/2"));

        QueueEntry after = queue().find(id).orElseThrow();
        assertEquals(QueueState.HELD, after.state());
        assertNull(after.leaseOwner());
        assertEquals(1, after.attempts());
        assertTrue(queue().lease("w2", T.plus(Duration.ofDays(1)), LEASE).isEmpty());
    }

    @Test
    default void messageHeldDuringItsLeaseIsRemovedWhenTheAttemptDeliversEveryRecipient() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();
        queue().hold(id);

        assertTrue(queue().finishAttempt(id, "w1",
                List.of(new RecipientStatus("b@example.com", State.DELIVERED, "250 ok")), T.plusSeconds(60), "sent"));

        assertTrue(queue().find(id).isEmpty());
    }
}
