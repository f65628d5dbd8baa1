package org.smimegw.core.port;

import java.util.Locale;

/**
 * Which audit events a search wants: one action or all, and a text that the subject, decision or detail contains,
 * compared case-insensitively and literally (no character of it is a wildcard).
 *
 * @param action the exact action, e.g. {@code cert.delete}; null or empty for every action
 * @param text the text to look for; null or empty for any
 */
public record AuditQuery(String action, String text) {
    /** Every event. */
    public static final AuditQuery ALL = new AuditQuery(null, null);

    public AuditQuery {
        action = action == null || action.isEmpty() ? null : action;
        text = text == null || text.isEmpty() ? null : text;
    }

    /** Whether the event is one the query wants: what a store's search has to agree with. */
    public boolean matches(AuditEvent event) {
        if (action != null && !action.equals(event.action())) {
            return false;
        }
        if (text == null) {
            return true;
        }
        String wanted = text.toLowerCase(Locale.ROOT);
        return contains(event.subject(), wanted) || contains(event.decision(), wanted)
                || contains(event.detail(), wanted);
    }

    private static boolean contains(String field, String lowerCase) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(lowerCase);
    }
}
