package org.smimegw.smtp.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether one dependency (the store, a relay) answers, from the checks and attempts made so far: unreachable since
 * the first failure of the current run of failures, reachable again at the first success. With no observation at all
 * it counts as reachable: a relay nobody has sent to yet is not known to be down. Thread-safe.
 */
final class Reachability {
    private Instant unreachableSince;
    private String detail;

    /** Records one observation made at {@code at}; {@code detail} is shown in {@code /health} (e.g. the address). */
    synchronized void observe(boolean reachable, Instant at, String detail) {
        this.detail = detail;
        if (reachable) {
            unreachableSince = null;
        } else if (unreachableSince == null) {
            unreachableSince = at;
        }
    }

    /** When the current run of failures began; empty while reachable. */
    synchronized Optional<Instant> unreachableSince() {
        return Optional.ofNullable(unreachableSince);
    }

    /** What the last observation said about where it looked, or null before the first. */
    synchronized String detail() {
        return detail;
    }

    /** True when unreachable for longer than {@code grace} at {@code now}. */
    synchronized boolean failing(Instant now, Duration grace) {
        return unreachableSince != null && Duration.between(unreachableSince, now).compareTo(grace) > 0;
    }
}
