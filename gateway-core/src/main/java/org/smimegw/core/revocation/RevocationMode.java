package org.smimegw.core.revocation;

import java.util.Locale;

/**
 * {@code revocation.check} (docs/design.md §9): what a certificate whose status cannot be had counts as. A revoked
 * certificate is never used or trusted under {@link #SOFT} or {@link #HARD}; {@link #OFF} does not look.
 */
public enum RevocationMode {
    /** Unknown status: go on, and say so in the audit log. */
    SOFT,
    /** Unknown status: unusable; outbound refuses, inbound gives {@code temperror}. */
    HARD,
    /** No revocation checking: dates alone. */
    OFF;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
