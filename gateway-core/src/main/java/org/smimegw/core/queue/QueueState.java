package org.smimegw.core.queue;

import java.util.Locale;

/** {@code QUEUED}: delivered when due. {@code HELD}: never delivered until released. */
public enum QueueState {
    QUEUED, HELD;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
