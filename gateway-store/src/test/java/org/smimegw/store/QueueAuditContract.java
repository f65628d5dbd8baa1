package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.queue.RecipientStatus.State;

/**
 * The audit events that go with a queue write are committed with it (ADR 20): both are there, or neither, also when
 * many threads write at once and their writes share one commit.
 */
public interface QueueAuditContract extends QueueFixture {

    AuditLog auditLog();

    private static AuditEvent event(String subject, String decision) {
        return new AuditEvent(T, "queue", subject, decision, "detail of " + subject);
    }

    private Set<String> auditedSubjects() {
        Set<String> subjects = new HashSet<>();
        auditLog().recent(10_000).forEach(event -> subjects.add(event.subject()));
        return subjects;
    }

    @Test
    default void enqueueRecordsItsAuditEventsInOrder() {
        String id = QueueIds.next(T);

        queue().enqueue(id, Direction.OUTBOUND, "a@example.org", List.of("b@example.com"), bytes(), T, null,
                List.of(event(id, "signed"), event(id, "queued")));

        assertTrue(queue().find(id).isPresent());
        assertEquals(List.of("queued", "signed"), auditLog().recent(2).stream().map(AuditEvent::decision).toList());
    }

    @Test
    default void anEnqueueThatFailsRecordsNoneOfItsEvents() {
        String id = enqueue(T, "a@example.org", "b@example.com");

        assertThrows(IllegalArgumentException.class, () -> queue().enqueue(id, Direction.OUTBOUND, "a@example.org",
                List.of("b@example.com"), bytes(), T, null, List.of(event("second " + id, "queued"))));

        assertFalse(auditedSubjects().contains("second " + id));
    }

    @Test
    default void enqueueAllRecordsTheEventsOfEveryEntryInTheSameCommit() {
        String encrypted = QueueIds.next(T);
        String signed = QueueIds.next(T);

        queue().enqueueAll(List.of(newEntry(encrypted, "b@example.com"), newEntry(signed, "c@example.com")),
                List.of(event(encrypted, "encrypted"), event(signed, "signed"), event(encrypted, "queued"),
                        event(signed, "queued")));

        assertTrue(queue().find(encrypted).isPresent());
        assertTrue(queue().find(signed).isPresent());
        assertEquals(List.of(signed + " queued", encrypted + " queued", signed + " signed",
                encrypted + " encrypted"), auditLog().recent(4).stream()
                        .map(event -> event.subject() + " " + event.decision()).toList());
    }

    @Test
    default void anEnqueueAllThatIsRefusedRecordsNoneOfItsEvents() {
        String taken = enqueue(T, "a@example.org", "b@example.com");
        String fresh = QueueIds.next(T);
        Map<String, List<MessageQueue.NewEntry>> refused = Map.of(
                "taken", List.of(newEntry(fresh, "c@example.com"), newEntry(taken, "d@example.com")),
                "twice", List.of(newEntry(fresh, "c@example.com"), newEntry(fresh, "d@example.com")),
                "empty", List.of(newEntry(fresh, "c@example.com"), newEntry(QueueIds.next(T))));

        refused.forEach((subject, entries) -> assertThrows(IllegalArgumentException.class,
                () -> queue().enqueueAll(entries, List.of(event(subject, "queued"))), subject));

        Set<String> audited = auditedSubjects();
        assertFalse(audited.contains("taken"), audited.toString());
        assertFalse(audited.contains("twice"), audited.toString());
        assertFalse(audited.contains("empty"), audited.toString());
        assertTrue(queue().find(fresh).isEmpty());
    }

    @Test
    default void concurrentEnqueuesShareCommitsAndAFailingOneFailsAlone() throws Exception {
        String taken = enqueue(T, "a@example.org", "b@example.com");
        int writers = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                // writer 5 reuses a taken id: its write fails, the others' must not
                String id = i == 5 ? taken : QueueIds.next(T);
                String subject = "writer " + i;
                Callable<String> write = () -> {
                    start.await();
                    queue().enqueue(id, Direction.INBOUND, "x@example.net", List.of("helpdesk@example.org"),
                            bytes(), T, null, List.of(event(subject, "queued")));
                    return id;
                };
                results.add(threads.submit(write));
            }
            start.countDown();
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < writers; i++) {
                if (i == 5) {
                    Exception failure = assertThrows(Exception.class, results.get(i)::get);
                    assertTrue(failure.getCause() instanceof IllegalArgumentException, failure.toString());
                } else {
                    assertTrue(queue().find(results.get(i).get()).isPresent());
                    expected.add("writer " + i);
                }
            }
            Set<String> audited = auditedSubjects();
            assertTrue(audited.containsAll(expected), audited.toString());
            assertFalse(audited.contains("writer 5"));
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    default void finishAttemptRecordsItsEventsOnlyWhenTheLeaseWasHeld() {
        String id = enqueue(T, "a@example.org", "b@example.com");
        queue().lease("w1", T, LEASE).orElseThrow();
        List<RecipientStatus> delivered = List.of(new RecipientStatus("b@example.com", State.DELIVERED, "250 ok"));

        assertFalse(queue().finishAttempt(id, "w2", delivered, T, "250 ok", List.of(event("by w2", "delivered"))));
        assertTrue(queue().finishAttempt(id, "w1", delivered, T, "250 ok", List.of(event("by w1", "delivered"))));

        Set<String> audited = auditedSubjects();
        assertTrue(audited.contains("by w1"));
        assertFalse(audited.contains("by w2"));
        assertTrue(queue().find(id).isEmpty());
    }

    @Test
    default void finishingAnAttemptCanLeaseTheNextDueMessageInTheSameCommit() {
        String first = enqueue(T, "a@example.org", "b@example.com");
        String second = enqueue(T.plusSeconds(1), "a@example.org", "c@example.com");
        queue().lease("w1", T.plusSeconds(2), LEASE).orElseThrow();
        List<RecipientStatus> delivered = List.of(new RecipientStatus("b@example.com", State.DELIVERED, "250 ok"));

        MessageQueue.Finished finished = queue().finishAttemptAndLease(first, "w1", delivered, T, "250 ok",
                List.of(event("first", "delivered")), T.plusSeconds(2), LEASE);

        assertTrue(finished.recorded());
        assertEquals(second, finished.next().orElseThrow().entry().id());
        assertEquals("w1", queue().find(second).orElseThrow().leaseOwner());
        assertTrue(queue().find(first).isEmpty());
        assertTrue(queue().lease("w2", T.plusSeconds(2), LEASE).isEmpty(), "the next message is w1's now");
        assertTrue(auditedSubjects().contains("first"));
    }

    private static Bytes bytes() {
        return Bytes.of(CONTENT);
    }

    private static MessageQueue.NewEntry newEntry(String id, String... recipients) {
        return new MessageQueue.NewEntry(id, Direction.OUTBOUND, "a@example.org", List.of(recipients), bytes(), T,
                null);
    }
}
