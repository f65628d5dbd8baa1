package org.smimegw.smtp.mta;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for a condition, checking it every few milliseconds, and gives up after a bound. */
public final class Await {
    private static final long POLL_MILLIS = 25;

    private Await() {
    }

    /** True as soon as {@code condition} holds; false if it still does not hold after {@code bound}. */
    public static boolean until(Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }
}
