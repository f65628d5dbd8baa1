package org.smimegw.core.port;

import java.util.List;

/**
 * One page of an audit search.
 *
 * @param events the matching events asked for, newest first
 * @param total how many events match in all, on every page
 */
public record AuditMatches(List<AuditEvent> events, int total) {
    public AuditMatches {
        events = List.copyOf(events);
    }
}
