package org.smimegw.smtp.monitor;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Asks the store whether it answers, never for longer than {@code timeout}: the check runs on its own thread, and a
 * check that outlasts the timeout counts as unreachable while it goes on; later calls wait for that same check
 * instead of piling new ones onto a database that hangs. Thread-safe; {@link #close} stops the thread.
 */
final class StoreProbe implements AutoCloseable {
    private final BooleanSupplier check;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "health-store-probe");
        thread.setDaemon(true);
        return thread;
    });
    private Future<Boolean> inFlight;

    /** @param check true when the store answers; may block (it is bounded here) */
    StoreProbe(BooleanSupplier check, Duration timeout) {
        this.check = check;
        this.timeout = timeout;
    }

    boolean reachable() {
        Future<Boolean> running;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = executor.submit(check::getAsBoolean);
            }
            running = inFlight;
        }
        try {
            return running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
