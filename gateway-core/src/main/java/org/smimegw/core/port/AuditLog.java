package org.smimegw.core.port;

import java.util.List;

/** Append-only record of every import, deletion and processed message. Thread-safe. */
public interface AuditLog {

    void record(AuditEvent event);

    /** The newest {@code limit} events, newest first. */
    List<AuditEvent> recent(int limit);

    /**
     * The events the query matches, newest first: {@code limit} of them after skipping {@code offset}, and how many
     * match in all. This default reads every event, which suits a log kept in memory; a store answers it with a
     * query of its own.
     *
     * @throws IllegalArgumentException when offset or limit is negative
     */
    default AuditMatches search(AuditQuery query, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative: " + offset + ", " + limit);
        }
        List<AuditEvent> matching = recent(Integer.MAX_VALUE).stream().filter(query::matches).toList();
        int from = Math.min(offset, matching.size());
        return new AuditMatches(matching.subList(from, (int) Math.min((long) from + limit, matching.size())),
                matching.size());
    }

    /** The actions that occur in the log, each once, in alphabetical order. */
    default List<String> actions() {
        return recent(Integer.MAX_VALUE).stream().map(AuditEvent::action).distinct().sorted().toList();
    }
}
