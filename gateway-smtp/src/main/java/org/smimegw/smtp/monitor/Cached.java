package org.smimegw.smtp.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value loaded from the store at most once per {@code maxAge} of the injected clock, however often the metrics are
 * scraped. When a load fails (the store is down) the last value is kept and the next load is tried after
 * {@code maxAge} again; before the first successful load there is no value. Thread-safe.
 */
final class Cached<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Cached.class);

    private final String what;
    private final Supplier<T> loader;
    private final Duration maxAge;
    private final Clock clock;
    private T value;
    private Instant loadedAt;

    Cached(String what, Supplier<T> loader, Duration maxAge, Clock clock) {
        this.what = what;
        this.loader = loader;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The value, loaded again first when the last load is older than {@code maxAge}. */
    synchronized Optional<T> get() {
        Instant now = clock.instant();
        if (loadedAt == null || !now.isBefore(loadedAt.plus(maxAge))) {
            loadedAt = now;
            try {
                value = loader.get();
            } catch (RuntimeException e) {
                LOG.debug("metrics: cannot read {}: {}", what, e.toString());
            }
        }
        return Optional.ofNullable(value);
    }
}
