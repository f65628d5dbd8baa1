package org.smimegw.core.revocation;

import java.time.Duration;
import java.time.Instant;

/**
 * When a CRL or OCSP answer counts (docs/design.md §9): issued by the instant judged, allowing for the clocks of the
 * CA and the gateway to differ by up to {@link #CLOCK_SKEW}, and its {@code nextUpdate} not passed.
 */
final class Freshness {
    /** How far an issuer's clock may run ahead of the gateway's. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private Freshness() {
    }

    /**
     * Whether an answer issued at {@code thisUpdate}, due at {@code nextUpdate} (null: never), counts at {@code at}.
     */
    static boolean current(Instant thisUpdate, Instant nextUpdate, Instant at) {
        return !at.plus(CLOCK_SKEW).isBefore(thisUpdate) && (nextUpdate == null || !at.isAfter(nextUpdate));
    }

    /** Why an answer that is not {@link #current} does not count, after "{@code <what> }". */
    static String whyNot(Instant thisUpdate, Instant nextUpdate, Instant at) {
        return at.plus(CLOCK_SKEW).isBefore(thisUpdate)
                ? "was issued on " + thisUpdate + ", after the instant judged (" + at + ")"
                : "expired on " + nextUpdate;
    }
}
