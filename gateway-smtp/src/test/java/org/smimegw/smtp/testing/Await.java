package org.smimegw.smtp.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits for a condition, checking it every few milliseconds, and gives up after a bound. */
public final class Await {
    private static final long POLL_MILLIS = 25;

    private Await() {
    }

    /**
     * A condition that may fail with the reason it never will hold ({@code E}, for example the {@code IOException}
     * of a probe that runs a command); {@code E} is {@code RuntimeException} for one that cannot fail.
     */
    @FunctionalInterface
    public interface Condition<E extends Exception> {
        boolean holds() throws E, InterruptedException;
    }

    /** True as soon as {@code condition} holds; false if it still does not hold after {@code bound}. */
    public static <E extends Exception> boolean until(Duration bound, Condition<E> condition)
            throws E, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            if (condition.holds()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }
}
