package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;

/** What every {@link MessageQueue} promises about retry, hold, release and delete. */
public interface OperatorActionsContract extends QueueFixture {

    @Test
    default void retryMakesAQueuedMessageDueAtOnce() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();
        queue().finishAttempt(id, "w1", List.of(), T.plus(Duration.ofHours(4)), "451 later");
        Instant now = T.plusSeconds(90);

        assertTrue(queue().retry(id, now));

        assertEquals(now, queue().find(id).orElseThrow().nextAttemptAt());
        assertEquals(id, queue().lease("w1", now, LEASE).orElseThrow().entry().id());
    }

    @Test
    default void retryLeavesAHeldMessageAlone() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().hold(id);

        assertFalse(queue().retry(id, T.plusSeconds(90)));

        QueueEntry after = queue().find(id).orElseThrow();
        assertEquals(QueueState.HELD, after.state());
        assertEquals(T, after.nextAttemptAt());
    }

    @Test
    default void holdSucceedsOnAnyExistingMessage() {
        String id = enqueue(T, "a@example.org", "b@example.com");

        assertTrue(queue().hold(id));
        assertTrue(queue().hold(id), "holding a held message still finds it");
        assertEquals(QueueState.HELD, queue().find(id).orElseThrow().state());
    }

    @Test
    default void releaseMakesAHeldMessageDueAtOnce() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();
        queue().finishAttempt(id, "w1", List.of(), T.plus(Duration.ofHours(4)), "451 later");
        queue().hold(id);
        Instant now = T.plusSeconds(90);

        assertTrue(queue().release(id, now));

        QueueEntry after = queue().find(id).orElseThrow();
        assertEquals(QueueState.QUEUED, after.state());
        assertEquals(now, after.nextAttemptAt());
        assertEquals(id, queue().lease("w1", now, LEASE).orElseThrow().entry().id());
    }

    @Test
    default void releaseRefusesAMessageThatIsNotHeld() {
        String id = enqueue(T, "a@example.org", "b@example.com");

        assertFalse(queue().release(id, T.plusSeconds(90)));

        assertEquals(T, queue().find(id).orElseThrow().nextAttemptAt());
    }

    @Test
    default void deleteRemovesTheMessageForGood() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        String other = enqueue(T, "a@example.org", "c@example.com");

        assertTrue(queue().delete(id));
        assertFalse(queue().delete(id));

        assertTrue(queue().find(id).isEmpty());
        assertTrue(queue().content(id).isEmpty());
        assertEquals(List.of(other), queue().list().stream().map(QueueEntry::id).toList());
        assertEquals(other, queue().lease("w1", T, LEASE).orElseThrow().entry().id());
    }

    @Test
    default void changesAreSeenByAnotherNodeAtOnce() {
        String id = enqueue(T, "a@example.org", "b@example.com");

        assertTrue(sameQueueFromAnotherNode().hold(id));

        assertEquals(QueueState.HELD, queue().find(id).orElseThrow().state());
        assertTrue(sameQueueFromAnotherNode().release(id, T));
        assertEquals(id, sameQueueFromAnotherNode().lease("node-2", T, LEASE).orElseThrow().entry().id());
        assertTrue(queue().lease("node-1", T, LEASE).isEmpty());
    }
}
