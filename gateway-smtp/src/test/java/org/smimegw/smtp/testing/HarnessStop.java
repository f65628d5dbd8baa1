package org.smimegw.smtp.testing;

import java.io.IOException;

/**
 * Stops the servers of a test harness exactly once: from the harness's {@code close()}, or from a JVM shutdown hook
 * when a test never reaches {@code close()} (a JVM stopped by failsafe's timeout), so that no server outlives the
 * test JVM. {@link #closeOnFailure} closes a harness whose start fails after its servers run.
 */
public final class HarnessStop {
    private final Thread hook;
    private boolean claimed;

    /**
     * Registers a shutdown hook (a thread named {@code name}) that runs {@code stopQuietly} unless {@link #claim()}
     * came first; the JVM is exiting then, so {@code stopQuietly} must not throw.
     */
    public HarnessStop(String name, Runnable stopQuietly) {
        this.hook = new Thread(() -> {
            if (take()) {
                stopQuietly.run();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * For {@code close()}: true the first time, and the caller then stops its servers itself; false when an earlier
     * {@code close()} or the shutdown hook did. Unregisters the hook.
     */
    public boolean claim() {
        if (!take()) {
            return false;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, and finds the stop claimed
        }
        return true;
    }

    private synchronized boolean take() {
        if (claimed) {
            return false;
        }
        claimed = true;
        return true;
    }

    /** A step of a harness's start that runs once its servers do (a check, a first entry). */
    @FunctionalInterface
    public interface Step<T> {
        void run(T harness) throws IOException, InterruptedException;
    }

    /**
     * Runs {@code step} on a harness whose servers run and returns the harness; if the step fails, closes the
     * harness and throws the step's failure (with the closing's failure, if any, suppressed).
     */
    public static <T extends AutoCloseable> T closeOnFailure(T harness, Step<? super T> step)
            throws IOException, InterruptedException {
        try {
            step.run(harness);
            return harness;
        } catch (AssertionError | IOException | RuntimeException | InterruptedException e) {
            try {
                harness.close();
            } catch (AssertionError | Exception closing) {
                if (closing instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
