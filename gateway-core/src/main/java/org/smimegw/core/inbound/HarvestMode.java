package org.smimegw.core.inbound;

import java.util.Locale;

/** {@code inbound.harvest} (docs/design.md §9): which signer certificates of inbound mail are kept. */
public enum HarvestMode {
    /** The signer certificate of a passing message, for its From address; the path as path material. */
    TRUSTED,
    /** As {@link #TRUSTED}, and the signer of a message that failed only for want of an anchor, as pending. */
    PENDING,
    /** Nothing is kept. */
    OFF;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
