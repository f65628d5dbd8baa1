package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.testing.TestPki;

/**
 * What every {@link MessageQueue} promises about {@link MessageQueue#renewLease}: a live owner keeps its message as
 * long as it renews, a lost lease cannot be renewed, and a lease that is not renewed is taken over when it ends.
 */
public interface LeaseRenewalContract {
    Instant FROM = TestPki.NOW;
    Duration SPAN = Duration.ofMinutes(1);
    byte[] MAIL = "From: a@example.org\r\n\r\nrenewed\r\n".getBytes(StandardCharsets.US_ASCII);

    MessageQueue queue();

    @Test
    default void ownerThatRenewsKeepsTheMessagePastTheFirstEndOfItsLease() {
        String id = enqueueOne();
        queue().lease("node-1-1", FROM, SPAN).orElseThrow();
        Instant renewedAt = FROM.plus(SPAN.dividedBy(3));

        assertTrue(queue().renewLease(id, "node-1-1", renewedAt.plus(SPAN)));

        assertEquals(renewedAt.plus(SPAN), queue().find(id).orElseThrow().leaseUntil());
        assertTrue(queue().lease("node-2-1", FROM.plus(SPAN).plusSeconds(1), SPAN).isEmpty(),
                "the renewed lease is live");
        assertEquals("node-1-1", queue().find(id).orElseThrow().leaseOwner());
        assertEquals(id, queue().lease("node-2-1", renewedAt.plus(SPAN).plusSeconds(1), SPAN).orElseThrow()
                .entry().id(), "once the renewed lease has ended, another owner takes the message");
    }

    @Test
    default void renewingIsOnlyForTheOwner() {
        String id = enqueueOne();
        QueueEntry leased = queue().lease("node-1-1", FROM, SPAN).orElseThrow().entry();

        assertFalse(queue().renewLease(id, "node-2-1", FROM.plus(Duration.ofHours(1))));

        assertEquals(leased, queue().find(id).orElseThrow());
    }

    @Test
    default void leaseTakenOverByAnotherOwnerCannotBeRenewedByTheOldOne() {
        String id = enqueueOne();
        queue().lease("dead-1", FROM, SPAN).orElseThrow();
        Instant later = FROM.plus(SPAN).plusSeconds(1);
        queue().lease("node-2-1", later, SPAN).orElseThrow();

        assertFalse(queue().renewLease(id, "dead-1", later.plus(SPAN)));

        QueueEntry after = queue().find(id).orElseThrow();
        assertEquals("node-2-1", after.leaseOwner());
        assertEquals(later.plus(SPAN), after.leaseUntil());
    }

    @Test
    default void endedLeaseThatNobodyTookIsStillTheOwnersToRenew() {
        String id = enqueueOne();
        queue().lease("node-1-1", FROM, SPAN).orElseThrow();
        Instant late = FROM.plus(SPAN).plusSeconds(5);

        assertTrue(queue().renewLease(id, "node-1-1", late.plus(SPAN)));

        assertTrue(queue().lease("node-2-1", late, SPAN).isEmpty());
    }

    @Test
    default void leaseCannotBeRenewedOnceTheAttemptIsRecorded() {
        String id = enqueueOne();
        queue().lease("node-1-1", FROM, SPAN).orElseThrow();
        assertTrue(queue().finishAttempt(id, "node-1-1", List.of(), FROM.plusSeconds(60), "451 later"));

        assertFalse(queue().renewLease(id, "node-1-1", FROM.plus(SPAN)));

        QueueEntry after = queue().find(id).orElseThrow();
        assertNull(after.leaseOwner());
        assertNull(after.leaseUntil());
    }

    @Test
    default void leaseOfADeletedMessageCannotBeRenewed() {
        String id = enqueueOne();
        queue().lease("node-1-1", FROM, SPAN).orElseThrow();
        queue().delete(id);

        assertFalse(queue().renewLease(id, "node-1-1", FROM.plus(SPAN)));
        assertFalse(queue().renewLease(QueueIds.next(FROM), "node-1-1", FROM.plus(SPAN)), "never queued");
    }

    private String enqueueOne() {
        String id = QueueIds.next(FROM);
        queue().enqueue(id, Direction.OUTBOUND, "a@example.org", List.of("b@example.com"), MAIL, FROM);
        return id;
    }
}
