package org.smimegw.smtp.sink;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the sink counted: accepted deliveries per key, deliveries deferred per key, and those without a key.
 * Thread-safe.
 */
final class Tally {
    private final Function<Delivery, Optional<String>> key;
    private final int deferrals;
    private final Map<String, Integer> accepted = new HashMap<>();
    private final Map<String, Integer> deferred = new HashMap<>();
    private int withoutKey;
    private Delivery firstWithoutKey;

    Tally(Function<Delivery, Optional<String>> key, int deferrals) {
        this.key = key;
        this.deferrals = deferrals;
    }

    /** Counts a delivery that was read to its end; false when it is to be answered 451 instead. */
    boolean admit(Delivery delivery) {
        Optional<String> counted = key.apply(delivery);
        synchronized (this) {
            if (counted.isPresent() && deferred.getOrDefault(counted.get(), 0) < deferrals) {
                deferred.merge(counted.get(), 1, Integer::sum);
                return false;
            }
            if (counted.isPresent()) {
                accepted.merge(counted.get(), 1, Integer::sum);
            } else if (withoutKey++ == 0) {
                firstWithoutKey = delivery;
            }
            notifyAll();
            return true;
        }
    }

    synchronized Map<String, Integer> accepted() {
        return Map.copyOf(accepted);
    }

    synchronized Map<String, Integer> deferred() {
        return Map.copyOf(deferred);
    }

    synchronized int withoutKey() {
        return withoutKey;
    }

    synchronized Optional<Delivery> firstWithoutKey() {
        return Optional.ofNullable(firstWithoutKey);
    }

    /** Waits (bounded) until the accepted counts satisfy {@code condition}; returns whether they did. */
    synchronized boolean await(Predicate<Map<String, Integer>> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> view = Collections.unmodifiableMap(accepted);
        while (!condition.test(view)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
