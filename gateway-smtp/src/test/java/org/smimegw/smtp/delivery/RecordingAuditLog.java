package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;

/**
 * {@link AuditLog} in memory that tests can wait on: the delivery workers write the audit event after the queue is
 * updated, so an event seen means the attempt is recorded. Thread-safe.
 */
final class RecordingAuditLog implements AuditLog {
    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(AuditEvent event) {
        events.add(event);
        notifyAll();
    }

    @Override
    public synchronized List<AuditEvent> recent(int limit) {
        List<AuditEvent> newestFirst = new ArrayList<>(events);
        Collections.reverse(newestFirst);
        return List.copyOf(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
    }

    synchronized List<AuditEvent> all() {
        return List.copyOf(events);
    }

    /** The {@code n}-th (from 1) event that matches, waiting up to {@code timeout} for it. */
    synchronized AuditEvent await(Predicate<AuditEvent> matching, int n, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<AuditEvent> matches = events.stream().filter(matching).toList();
            if (matches.size() >= n) {
                return matches.get(n - 1);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return fail("no audit event #" + n + " as expected within " + timeout + "; have " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    AuditEvent await(String subject, String decision, int n, Duration timeout) throws InterruptedException {
        return await(e -> e.subject().equals(subject) && e.decision().equals(decision), n, timeout);
    }

    AuditEvent await(String subject, String decision, Duration timeout) throws InterruptedException {
        return await(subject, decision, 1, timeout);
    }
}
