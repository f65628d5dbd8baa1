package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.MessageQueue.Leased;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;

/** What every {@link MessageQueue} promises about leases, for one worker and for several on two nodes. */
public interface LeaseContract extends QueueFixture {

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
}
