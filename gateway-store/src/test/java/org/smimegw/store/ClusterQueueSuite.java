package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.MessageQueue.Leased;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.queue.RecipientStatus.State;
import org.smimegw.core.testing.TestPki;

/**
 * Two nodes on one database: two {@link Store}s, each with its own connection pool, and several workers on each that
 * lease and finish at the same time. Subclasses say which database. Time is pinned: every instant is an argument, so
 * leases end because the test says so, never because the test waited.
 */
abstract class ClusterQueueSuite {
    static final Instant T = TestPki.NOW;
    static final Duration LEASE = Duration.ofMinutes(1);
    static final int MESSAGES = 300;
    static final int WORKERS_PER_NODE = 3;
    static final int POOL_SIZE = 4;
    static final byte[] CONTENT = "From: a@example.org\r\nTo: b@example.com\r\n\r\ncluster\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private Store first;
    private Store second;

    /** Creates an empty database for one test and returns its JDBC URL. */
    abstract String createDatabase(Path directory) throws Exception;

    /** Removes what {@link #createDatabase} made, after the stores are closed. */
    abstract void dropDatabase() throws Exception;

    abstract String user();

    @BeforeEach
    final void openTwoNodes() throws Exception {
        String url = createDatabase(dir);
        Path masterKey = dir.resolve("keys").resolve("master.key");
        first = Store.open(new StoreSettings(url, user(), "", masterKey, POOL_SIZE));
        second = Store.open(new StoreSettings(url, user(), "", masterKey, POOL_SIZE));
    }

    @AfterEach
    final void closeNodes() throws Exception {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        dropDatabase();
    }

    @Test
    void workersOnTwoNodesLeaseAndFinishEveryDueMessageExactlyOnce() throws Exception {
        Set<String> ids = enqueue(MESSAGES);
        List<MessageQueue> nodes = List.of(first.queue(), second.queue());
        Map<String, AtomicInteger> leases = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        int workers = nodes.size() * WORKERS_PER_NODE;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long started;
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                MessageQueue node = nodes.get(w % nodes.size());
                String owner = "node-" + (w % nodes.size() + 1) + "-" + (w / nodes.size() + 1);
                done.add(pool.submit(() -> {
                    assertTrue(go.await(30, TimeUnit.SECONDS));
                    return drain(node, owner, leases);
                }));
            }
            started = System.nanoTime();
            go.countDown();
            int total = 0;
            for (Future<Integer> worker : done) {
                total += worker.get(120, TimeUnit.SECONDS);
            }
            assertEquals(MESSAGES, total);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        System.out.printf("%s: %d messages leased and finished by %d workers on 2 nodes in %d ms (%d/s)%n",
                getClass().getSimpleName(), MESSAGES, workers, millis, MESSAGES * 1000L / millis);
        assertEquals(ids, leases.keySet(), "every message was leased");
        leases.forEach((id, count) -> assertEquals(1, count.get(), id + " was leased " + count.get() + " times"));
        assertTrue(first.queue().list().isEmpty(), "none is left");
        assertTrue(second.queue().lease("late", T.plus(LEASE.multipliedBy(10)), LEASE).isEmpty());
    }

    /** Leases until nothing is due, finishing each message as delivered; returns how many it leased. */
    private static int drain(MessageQueue node, String owner, Map<String, AtomicInteger> leases) {
        int count = 0;
        for (Optional<Leased> next = node.lease(owner, T, LEASE); next.isPresent();
                next = node.lease(owner, T, LEASE)) {
            String id = next.get().entry().id();
            leases.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            assertEquals(owner, next.get().entry().leaseOwner());
            List<RecipientStatus> delivered = next.get().entry().recipients().stream()
                    .map(r -> new RecipientStatus(r.address(), State.DELIVERED, "250 ok")).toList();
            assertTrue(node.finishAttempt(id, owner, delivered, T, "delivered"), "finished by its owner " + id);
            count++;
        }
        return count;
    }

    @Test
    void aDeadNodesLeasesAreTakenOverWhenTheyEndAndALiveNodesNever() {
        Set<String> ids = enqueue(6);
        MessageQueue dead = first.queue();
        MessageQueue live = second.queue();
        Map<String, String> deadOnes = new ConcurrentHashMap<>();
        Map<String, String> liveOnes = new ConcurrentHashMap<>();
        for (int i = 0; i < 3; i++) {
            deadOnes.put(dead.lease("dead-" + i, T, LEASE).orElseThrow().entry().id(), "dead-" + i);
            liveOnes.put(live.lease("live-" + i, T, LEASE).orElseThrow().entry().id(), "live-" + i);
        }
        assertEquals(ids, union(deadOnes.keySet(), liveOnes.keySet()));
        Set<String> taken = new HashSet<>();
        // the live node renews every third of the lease for two lease times; the dead one never does
        for (int third = 1; third <= 6; third++) {
            Instant now = T.plus(LEASE.dividedBy(3).multipliedBy(third));
            liveOnes.forEach((id, owner) -> assertTrue(live.renewLease(id, owner, now.plus(LEASE))));
            for (Optional<Leased> next = live.lease("taker", now, LEASE); next.isPresent();
                    next = live.lease("taker", now, LEASE)) {
                assertTrue(now.isAfter(T.plus(LEASE)), "taken at " + now + " while the dead node's lease lasted");
                taken.add(next.get().entry().id());
                assertEquals(2, next.get().entry().unfinishedAttempts(), "the dead node's lease counts as unfinished");
            }
        }

        assertEquals(deadOnes.keySet(), taken, "exactly the dead node's messages, and none of the renewed ones");
        deadOnes.forEach((id, owner) -> {
            assertFalse(dead.renewLease(id, owner, T.plus(LEASE.multipliedBy(3))), "the dead node lost " + id);
            assertFalse(dead.finishAttempt(id, owner, List.of(), T, "late"));
            assertEquals("taker", live.find(id).orElseThrow().leaseOwner());
        });
        liveOnes.forEach((id, owner) -> assertEquals(owner, dead.find(id).orElseThrow().leaseOwner()));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private Set<String> enqueue(int count) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String id = QueueIds.next(T.minusSeconds(i));
            MessageQueue node = i % 2 == 0 ? first.queue() : second.queue();
            node.enqueue(id, Direction.OUTBOUND, "a@example.org", List.of("b" + i + "@example.com"), CONTENT,
                    T.minusSeconds(i));
            ids.add(id);
        }
        return ids;
    }
}
