package org.smimegw.smtp.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.StoreFailure;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueStats;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.testing.InMemoryMessageQueue;

/** The in-memory queue, with the order of writes recorded and store failures on demand. Thread-safe. */
final class RecordingQueue implements MessageQueue {
    final InMemoryMessageQueue delegate;
    final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    /** The next this many lease calls throw, as a store that is down would. */
    final AtomicInteger failingLeases = new AtomicInteger();
    /** The next this many finishAttempt calls throw. */
    final AtomicInteger failingFinishes = new AtomicInteger();
    /** How many times renewLease was called (not in {@link #writes}: renewals run on their own thread). */
    final AtomicInteger renewals = new AtomicInteger();
    /** The next this many renewLease calls throw. */
    final AtomicInteger failingRenewals = new AtomicInteger();
    /** Runs after each renewLease call that reached the queue, e.g. to count down a latch. */
    volatile Runnable afterRenewal = () -> { };
    /** finishAttempt and renewLease answer false (the lease was lost) without changing anything. */
    volatile boolean leaseLost;

    /** @param audit where the audit events that go with the writes are recorded */
    RecordingQueue(AuditLog audit) {
        delegate = new InMemoryMessageQueue(audit);
    }

    @Override
    public void enqueueAll(List<NewEntry> entries, List<AuditEvent> audit) {
        entries.forEach(entry -> writes.add("enqueue " + entry.id()));
        delegate.enqueueAll(entries, audit);
    }

    @Override
    public Optional<Leased> lease(String owner, Instant now, Duration leaseTime) {
        if (failingLeases.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreFailure("store down: connection refused");
        }
        return delegate.lease(owner, now, leaseTime);
    }

    @Override
    public boolean finishAttempt(String id, String owner, List<RecipientStatus> outcomes, Instant nextAttemptAt,
            String lastResult, List<AuditEvent> audit) {
        if (failingFinishes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreFailure("store down: connection refused");
        }
        if (leaseLost) {
            return false;
        }
        writes.add("finishAttempt " + id);
        return delegate.finishAttempt(id, owner, outcomes, nextAttemptAt, lastResult, audit);
    }

    @Override
    public boolean renewLease(String id, String owner, Instant until) {
        renewals.incrementAndGet();
        if (failingRenewals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreFailure("store down: connection refused");
        }
        boolean renewed = !leaseLost && delegate.renewLease(id, owner, until);
        afterRenewal.run();
        return renewed;
    }

    @Override
    public void enqueueUnprocessed(String id, Direction direction, String sender, List<String> recipients,
            Bytes content, Instant receivedAt, String reason) {
        writes.add("enqueueUnprocessed " + id);
        delegate.enqueueUnprocessed(id, direction, sender, recipients, content, receivedAt, reason);
    }

    @Override
    public boolean abandonAttempt(String id, String owner, String reason, Instant nextAttemptAt) {
        writes.add("abandonAttempt " + id);
        return delegate.abandonAttempt(id, owner, reason, nextAttemptAt);
    }

    @Override
    public boolean holdLeased(String id, String owner, String reason) {
        writes.add("holdLeased " + id);
        return delegate.holdLeased(id, owner, reason);
    }

    @Override
    public List<QueueEntry> list() {
        return delegate.list();
    }

    @Override
    public Optional<QueueEntry> find(String id) {
        return delegate.find(id);
    }

    @Override
    public Optional<Bytes> content(String id) {
        return delegate.content(id);
    }

    @Override
    public boolean retry(String id, Instant now) {
        return delegate.retry(id, now);
    }

    @Override
    public boolean hold(String id) {
        return delegate.hold(id);
    }

    @Override
    public boolean release(String id, Instant now) {
        return delegate.release(id, now);
    }

    @Override
    public boolean delete(String id) {
        return delegate.delete(id);
    }

    @Override
    public QueueStats stats() {
        return delegate.stats();
    }
}
