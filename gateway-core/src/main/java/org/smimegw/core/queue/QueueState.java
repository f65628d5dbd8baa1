package org.smimegw.core.queue;

import java.util.Locale;

/**
 * {@code QUEUED}: delivered when due. {@code HELD}: never delivered until released. {@code UNPROCESSED}: the message
 * as received, kept because processing crashed on it (a poison message); it is never delivered as it is, and only
 * processing it again ({@code queue release}) or deleting it ends it.
 */
public enum QueueState {
    QUEUED, HELD, UNPROCESSED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
