package org.smimegw.core.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.QueueStats;
import org.smimegw.core.queue.RecipientStatus;

/**
 * {@link MessageQueue} in memory, for tests of the listeners and the delivery workers. The audit events that go with
 * a write are recorded in the audit log given, before the write: when recording fails, nothing changes, as with the
 * store's one commit. Thread-safe.
 */
public final class InMemoryMessageQueue implements MessageQueue {
    private final Map<String, QueueEntry> entries = new LinkedHashMap<>();
    private final Map<String, Bytes> contents = new LinkedHashMap<>();
    private final AuditLog audit;

    /** A queue whose writes' audit events are kept in a log of its own. */
    public InMemoryMessageQueue() {
        this(new InMemoryAuditLog());
    }

    public InMemoryMessageQueue(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public synchronized void enqueueAll(List<NewEntry> news, List<AuditEvent> events) {
        Set<String> ids = new HashSet<>();
        for (NewEntry entry : news) {
            if (entries.containsKey(entry.id()) || !ids.add(entry.id()) || entry.recipients().isEmpty()) {
                throw new IllegalArgumentException("duplicate id or no recipients: " + entry.id());
            }
        }
        events.forEach(audit::record); // before the change: an audit log that throws leaves nothing queued
        news.forEach(entry -> put(entry.id(), entry.direction(), QueueState.QUEUED, entry.sender(),
                entry.recipients(), entry.content(), entry.receivedAt(), null, entry.verdicts()));
    }

    @Override
    public synchronized void enqueueUnprocessed(String id, Direction direction, String sender,
            List<String> recipients, Bytes content, Instant receivedAt, String reason) {
        if (entries.containsKey(id) || recipients.isEmpty()) {
            throw new IllegalArgumentException("duplicate id or no recipients: " + id);
        }
        put(id, direction, QueueState.UNPROCESSED, sender, recipients, content, receivedAt, reason, null);
    }

    private void put(String id, Direction direction, QueueState state, String sender, List<String> recipients,
            Bytes content, Instant receivedAt, String lastResult, String verdicts) {
        entries.put(id, new QueueEntry(id, direction, state, sender,
                recipients.stream().map(RecipientStatus::pending).toList(), receivedAt, receivedAt, 0, lastResult,
                content.length(), null, null, 0, verdicts));
        contents.put(id, content);
    }

    @Override
    public synchronized Optional<Leased> lease(String owner, Instant now, Duration leaseTime) {
        Optional<QueueEntry> due = entries.values().stream()
                .filter(e -> e.state() == QueueState.QUEUED && !e.nextAttemptAt().isAfter(now))
                .filter(e -> e.leaseUntil() == null || e.leaseUntil().isBefore(now))
                .min(Comparator.comparing(QueueEntry::nextAttemptAt));
        return due.map(e -> {
            QueueEntry leased = with(e, e.state(), e.recipients(), e.nextAttemptAt(), e.attempts(), e.lastResult(),
                    owner, now.plus(leaseTime), e.unfinishedAttempts() + 1);
            entries.put(e.id(), leased);
            return new Leased(leased, contents.get(e.id()));
        });
    }

    @Override
    public synchronized boolean finishAttempt(String id, String owner, List<RecipientStatus> outcomes,
            Instant nextAttemptAt, String lastResult, List<AuditEvent> events) {
        QueueEntry e = entries.get(id);
        if (e == null || !owner.equals(e.leaseOwner())) {
            return false;
        }
        events.forEach(audit::record);
        List<RecipientStatus> recipients = new ArrayList<>();
        for (RecipientStatus r : e.recipients()) {
            recipients.add(outcomes.stream().filter(o -> o.address().equals(r.address())).findFirst().orElse(r));
        }
        QueueEntry updated = with(e, e.state(), recipients, nextAttemptAt, e.attempts() + 1, lastResult, null, null,
                0);
        if (updated.pendingRecipients().isEmpty()) {
            entries.remove(id);
            contents.remove(id);
        } else {
            entries.put(id, updated);
        }
        return true;
    }

    @Override
    public synchronized boolean renewLease(String id, String owner, Instant until) {
        QueueEntry e = entries.get(id);
        if (e == null || !owner.equals(e.leaseOwner())) {
            return false;
        }
        entries.put(id, with(e, e.state(), e.recipients(), e.nextAttemptAt(), e.attempts(), e.lastResult(), owner,
                until, e.unfinishedAttempts()));
        return true;
    }

    @Override
    public synchronized boolean abandonAttempt(String id, String owner, String reason, Instant nextAttemptAt) {
        QueueEntry e = entries.get(id);
        if (e == null || !owner.equals(e.leaseOwner())) {
            return false;
        }
        entries.put(id, with(e, e.state(), e.recipients(), nextAttemptAt, e.attempts() + 1, reason, null, null,
                e.unfinishedAttempts()));
        return true;
    }

    @Override
    public synchronized boolean holdLeased(String id, String owner, String reason) {
        QueueEntry e = entries.get(id);
        if (e == null || !owner.equals(e.leaseOwner())) {
            return false;
        }
        entries.put(id, with(e, QueueState.HELD, e.recipients(), e.nextAttemptAt(), e.attempts(), reason, null, null,
                e.unfinishedAttempts()));
        return true;
    }

    @Override
    public synchronized List<QueueEntry> list() {
        return entries.values().stream().sorted(Comparator.comparing(QueueEntry::receivedAt)).toList();
    }

    @Override
    public synchronized Optional<QueueEntry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public synchronized Optional<Bytes> content(String id) {
        return Optional.ofNullable(contents.get(id));
    }

    @Override
    public synchronized boolean retry(String id, Instant now) {
        QueueEntry e = entries.get(id);
        if (e == null || e.state() != QueueState.QUEUED) {
            return false;
        }
        entries.put(id, with(e, e.state(), e.recipients(), now, e.attempts(), e.lastResult(), e.leaseOwner(),
                e.leaseUntil(), e.unfinishedAttempts()));
        return true;
    }

    @Override
    public synchronized boolean hold(String id) {
        QueueEntry e = entries.get(id);
        if (e == null || e.state() == QueueState.UNPROCESSED) {
            return false;
        }
        entries.put(id, with(e, QueueState.HELD, e.recipients(), e.nextAttemptAt(), e.attempts(), e.lastResult(),
                e.leaseOwner(), e.leaseUntil(), e.unfinishedAttempts()));
        return true;
    }

    @Override
    public synchronized boolean release(String id, Instant now) {
        QueueEntry e = entries.get(id);
        if (e == null || e.state() != QueueState.HELD) {
            return false;
        }
        entries.put(id, with(e, QueueState.QUEUED, e.recipients(), now, e.attempts(), e.lastResult(),
                e.leaseOwner(), e.leaseUntil(), 0));
        return true;
    }

    @Override
    public synchronized boolean delete(String id) {
        contents.remove(id);
        return entries.remove(id) != null;
    }

    @Override
    public synchronized QueueStats stats() {
        QueueStats.Builder stats = QueueStats.builder();
        entries.values().forEach(e -> stats.add(e.direction(), e.state(), 1, e.receivedAt()));
        return stats.build();
    }

    private static QueueEntry with(QueueEntry e, QueueState state, List<RecipientStatus> recipients, Instant next,
            int attempts, String lastResult, String leaseOwner, Instant leaseUntil, int unfinishedAttempts) {
        return new QueueEntry(e.id(), e.direction(), state, e.sender(), recipients, e.receivedAt(), next, attempts,
                lastResult, e.size(), leaseOwner, leaseUntil, unfinishedAttempts, e.verdicts());
    }
}
