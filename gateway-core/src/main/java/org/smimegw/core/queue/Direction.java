package org.smimegw.core.queue;

import java.util.Locale;

/**
 * Which way a queued message travels, and so which relay it is delivered to: {@code OUTBOUND} to
 * {@code outbound.relay} (the MTA), {@code INBOUND} to {@code inbound.relay} (the helpdesk). A delivery status
 * notification travels back the way its message came: the bounce of an outbound message is queued {@code INBOUND}.
 */
public enum Direction {
    OUTBOUND, INBOUND;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction a bounce of a message travelling this way takes. */
    public Direction reverse() {
        return this == OUTBOUND ? INBOUND : OUTBOUND;
    }
}
