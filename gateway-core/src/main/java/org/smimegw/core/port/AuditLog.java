package org.smimegw.core.port;

import java.util.List;

/** Append-only record of every import, deletion and processed message. Thread-safe. */
public interface AuditLog {

    void record(AuditEvent event);

    /** The newest {@code limit} events, newest first. */
    List<AuditEvent> recent(int limit);
}
