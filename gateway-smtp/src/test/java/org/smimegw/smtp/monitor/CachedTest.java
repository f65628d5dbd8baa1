package org.smimegw.smtp.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.smimegw.core.port.StoreFailure;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.MutableClock;

/** The cache between the gauges and the store. */
class CachedTest {
    private static final Duration PERIOD = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(TestPki.NOW);
    private final AtomicInteger loads = new AtomicInteger();
    private volatile boolean storeDown;
    private final Cached<Integer> cached = new Cached<>("a count", () -> {
        loads.incrementAndGet();
        if (storeDown) {
            throw new StoreFailure("store down");
        }
        return loads.get();
    }, PERIOD, clock);

    @Test
    void loadsAtMostOncePerPeriodHoweverOftenAsked() {
        for (int i = 0; i < 100; i++) {
            assertEquals(Optional.of(1), cached.get());
        }
        clock.advance(PERIOD.minusMillis(1));
        assertEquals(Optional.of(1), cached.get());
        clock.advance(Duration.ofMillis(1));

        assertEquals(Optional.of(2), cached.get());
        assertEquals(2, loads.get());
    }

    @Test
    void keepsTheLastValueWhileTheStoreIsDownAndTriesAgainAfterThePeriod() {
        cached.get();
        storeDown = true;
        clock.advance(PERIOD);

        assertEquals(Optional.of(1), cached.get());
        assertEquals(Optional.of(1), cached.get());
        assertEquals(2, loads.get(), "a failed load is not repeated at every scrape");
    }

    @Test
    void hasNoValueBeforeTheFirstSuccessfulLoad() {
        storeDown = true;

        assertEquals(Optional.empty(), cached.get());
    }
}
