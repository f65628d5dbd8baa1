package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.MessageQueue.Leased;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.queue.RecipientStatus.State;
import org.smimegw.core.testing.TestPki;

/** What every {@link MessageQueue} promises. Time is pinned: every instant is an argument. */
public interface MessageQueueContract extends FailedAttemptsContract, QueueStatsContract, LeaseRenewalContract {
    Instant T = TestPki.NOW;
    Duration LEASE = Duration.ofMinutes(5);
    byte[] CONTENT = "From: a@example.org\r\nTo: b@example.com\r\nSubject: caf\u00e9\r\n\r\nbody\r\n"
            .getBytes(StandardCharsets.UTF_8);

    MessageQueue queue();

    /** The same queue as seen by another node (another store on the same database); the same object in memory. */
    default MessageQueue sameQueueFromAnotherNode() {
        return queue();
    }

    // ---- enqueue, find, list, content

    @Test
    default void enqueuedMessageIsFoundWithItsEnvelopeAllRecipientsPendingAndDueAtOnce() {
        String id = QueueIds.next(T);

        queue().enqueue(id, Direction.OUTBOUND, "a@example.org", List.of("b@example.com", "c@example.com"), CONTENT,
                T);

        QueueEntry expected = new QueueEntry(id, Direction.OUTBOUND, QueueState.QUEUED, "a@example.org",
                List.of(RecipientStatus.pending("b@example.com"), RecipientStatus.pending("c@example.com")), T, T, 0,
                null, CONTENT.length, null, null, 0, null);
        assertEquals(Optional.of(expected), queue().find(id));
        assertEquals(List.of(expected), queue().list());
        assertArrayEquals(CONTENT, queue().content(id).orElseThrow().toByteArray());
    }

    @Test
    default void keepsTheDirection() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        String inbound = QueueIds.next(T);
        queue().enqueue(inbound, Direction.INBOUND, "x@example.net", List.of("helpdesk@example.org"), CONTENT, T);

        assertEquals(Direction.OUTBOUND, queue().find(id).orElseThrow().direction());
        assertEquals(Direction.INBOUND, queue().find(inbound).orElseThrow().direction());
    }

    @Test
    default void keepsLargeBinaryContentExactly() {
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(42).nextBytes(content);
        String id = QueueIds.next(T);

        queue().enqueue(id, Direction.INBOUND, "a@example.org", List.of("b@example.com"), content, T);

        assertArrayEquals(content, queue().content(id).orElseThrow().toByteArray());
        assertEquals(content.length, queue().find(id).orElseThrow().size());
        assertArrayEquals(content, queue().lease("w1", T, LEASE).orElseThrow().content().toByteArray());
    }

    @Test
    default void listIsOldestReceivedFirst() {
        String second = enqueue(T.plusSeconds(60), "a@example.org", "b@example.com");
        String first = enqueue(T, "a@example.org", "b@example.com");
        String third = enqueue(T.plusSeconds(120), "a@example.org", "b@example.com");

        assertEquals(List.of(first, second, third), queue().list().stream().map(QueueEntry::id).toList());
    }

    @Test
    default void recipientsKeepTheirRcptOrderThroughLeaseAndAttempts() {
        List<String> recipients = List.of("zoe@example.com", "adam@example.com", "mia@example.com",
                "bob@example.com");
        String id = enqueue(T, "a@example.org", recipients.toArray(String[]::new));

        assertEquals(recipients, addresses(queue().find(id).orElseThrow()));
        assertEquals(recipients, addresses(queue().lease("w1", T, LEASE).orElseThrow().entry()));
        queue().finishAttempt(id, "w1", List.of(new RecipientStatus("mia@example.com", State.DELIVERED, "250 ok"),
                new RecipientStatus("zoe@example.com", State.PENDING, "451 later")), T.plusSeconds(60), "deferred");
        assertEquals(recipients, addresses(queue().find(id).orElseThrow()));
        assertEquals(recipients, addresses(queue().list().get(0)));
    }

    @Test
    default void nullSenderRoundTripsAsTheEmptyString() {
        String id = enqueue(T, "", "b@example.com");

        assertEquals("", queue().find(id).orElseThrow().sender());
        assertTrue(queue().find(id).orElseThrow().nullSender());
        assertTrue(queue().list().get(0).nullSender());
        assertTrue(queue().lease("w1", T, LEASE).orElseThrow().entry().nullSender());
    }

    @Test
    default void takenIdIsRefusedAndTheFirstMessageKept() {
        String id = enqueue(T, "a@example.org", "b@example.com");

        assertThrows(IllegalArgumentException.class, () -> queue().enqueue(id, Direction.INBOUND, "x@example.net",
                List.of("y@example.net"), new byte[] {1}, T.plusSeconds(1)));

        QueueEntry kept = queue().find(id).orElseThrow();
        assertEquals("a@example.org", kept.sender());
        assertEquals(List.of("b@example.com"), addresses(kept));
        assertArrayEquals(CONTENT, queue().content(id).orElseThrow().toByteArray());
        assertEquals(1, queue().list().size());
    }

    @Test
    default void messageWithoutRecipientsIsRefused() {
        String id = QueueIds.next(T);

        assertThrows(IllegalArgumentException.class,
                () -> queue().enqueue(id, Direction.OUTBOUND, "a@example.org", List.of(), CONTENT, T));

        assertTrue(queue().find(id).isEmpty());
        assertTrue(queue().list().isEmpty());
    }

    @Test
    default void unknownIdIsNotFoundAndNotChanged() {
        String unknown = QueueIds.next(T);

        assertTrue(queue().find(unknown).isEmpty());
        assertTrue(queue().content(unknown).isEmpty());
        assertFalse(queue().retry(unknown, T));
        assertFalse(queue().hold(unknown));
        assertFalse(queue().release(unknown, T));
        assertFalse(queue().delete(unknown));
        assertFalse(queue().finishAttempt(unknown, "w1", List.of(), T, "none"));
    }

    // ---- lease

    @Test
    default void leaseHandsOutTheLongestDueMessageFirstWithItsContent() {
        String later = enqueue(T.plusSeconds(30), "a@example.org", "b@example.com");
        String earlier = enqueue(T, "a@example.org", "c@example.com");
        Instant now = T.plusSeconds(60);

        Leased first = queue().lease("w1", now, LEASE).orElseThrow();
        Leased second = queue().lease("w1", now, LEASE).orElseThrow();

        assertEquals(earlier, first.entry().id());
        assertEquals(later, second.entry().id());
        assertArrayEquals(CONTENT, first.content().toByteArray());
        assertTrue(queue().lease("w1", now, LEASE).isEmpty());
    }

    @Test
    default void leasedEntryAndFindNameTheOwnerAndTheLeaseEnd() {
        String id = enqueue(T, "a@example.org", "b@example.com");

        QueueEntry leased = queue().lease("node-1/worker-2", T, LEASE).orElseThrow().entry();

        assertEquals("node-1/worker-2", leased.leaseOwner());
        assertEquals(T.plus(LEASE), leased.leaseUntil());
        assertEquals(leased, queue().find(id).orElseThrow());
        assertEquals(0, leased.attempts());
    }

    @Test
    default void messageNotYetDueIsNotLeasedUntilItsTime() {
        Instant due = T.plusSeconds(600);
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().lease("w1", T, LEASE);
        queue().finishAttempt(id, "w1", List.of(), due, "451 later");

        assertTrue(queue().lease("w2", due.minusMillis(1), LEASE).isEmpty());
        assertEquals(id, queue().lease("w2", due, LEASE).orElseThrow().entry().id());
    }

    @Test
    default void heldMessageIsNeverLeased() {
        String id = enqueue(T, "a@example.org", "b@example.com");

        assertTrue(queue().hold(id));

        assertTrue(queue().lease("w1", T.plus(Duration.ofDays(30)), LEASE).isEmpty());
        assertEquals(QueueState.HELD, queue().find(id).orElseThrow().state());
    }

    @Test
    default void leasedMessageIsNotLeasedAgainWhileTheLeaseLasts() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();

        assertTrue(queue().lease("w2", T.plus(LEASE).minusSeconds(1), LEASE).isEmpty());
        assertTrue(queue().lease("w2", T.plus(LEASE), LEASE).isEmpty(), "a lease lasts up to its end");
        assertEquals("w1", queue().find(id).orElseThrow().leaseOwner());
    }

    @Test
    default void expiredLeaseLetsAnotherOwnerTakeTheMessage() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();
        Instant later = T.plus(LEASE).plusSeconds(1);

        QueueEntry taken = queue().lease("w2", later, LEASE).orElseThrow().entry();

        assertEquals(id, taken.id());
        assertEquals("w2", taken.leaseOwner());
        assertEquals(later.plus(LEASE), taken.leaseUntil());
    }

    // ---- finishAttempt

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

    // ---- retry, hold, release, delete

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

    // ---- several workers

    @Test
    default void concurrentWorkersOnTwoNodesLeaseEveryDueMessageExactlyOnce() throws Exception {
        int messages = 40;
        int workers = 6;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < messages; i++) {
            ids.add(enqueue(T.minusSeconds(i), "a@example.org", "b" + i + "@example.com"));
        }
        List<MessageQueue> nodes = List.of(queue(), sameQueueFromAnotherNode());
        ConcurrentLinkedQueue<String> leased = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String owner = "worker-" + w;
                MessageQueue node = nodes.get(w % nodes.size());
                done.add(pool.submit(() -> {
                    assertTrue(start.await(30, TimeUnit.SECONDS));
                    int count = 0;
                    for (Optional<Leased> next = node.lease(owner, T, LEASE); next.isPresent();
                            next = node.lease(owner, T, LEASE)) {
                        assertEquals(owner, next.get().entry().leaseOwner());
                        leased.add(next.get().entry().id());
                        count++;
                    }
                    return count;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> worker : done) {
                total += worker.get(60, TimeUnit.SECONDS);
            }
            assertEquals(messages, total);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(messages, leased.size(), "a message was leased twice: " + leased);
        assertEquals(ids, new HashSet<>(leased));
        assertTrue(queue().lease("late", T, LEASE).isEmpty());
    }

    // ---- helpers

    /** Enqueues an outbound message received at {@code at}, with {@link #CONTENT}; returns its new id. */
    private String enqueue(Instant at, String sender, String... recipients) {
        String id = QueueIds.next(at);
        queue().enqueue(id, Direction.OUTBOUND, sender, List.of(recipients), CONTENT, at);
        return id;
    }

    private static List<String> addresses(QueueEntry entry) {
        return entry.recipients().stream().map(RecipientStatus::address).toList();
    }
}
