package org.smimegw.core.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;

/** {@link AuditLog} in memory, for tests that look at what was audited. Thread-safe. */
public final class InMemoryAuditLog implements AuditLog {
    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(AuditEvent event) {
        events.add(event);
    }

    @Override
    public synchronized List<AuditEvent> recent(int limit) {
        List<AuditEvent> newestFirst = new ArrayList<>(events);
        Collections.reverse(newestFirst);
        return List.copyOf(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
    }

    /** Every event, oldest first. */
    public synchronized List<AuditEvent> all() {
        return List.copyOf(events);
    }
}
