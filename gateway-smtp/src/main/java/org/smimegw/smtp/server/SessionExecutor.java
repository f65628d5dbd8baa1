package org.smimegw.smtp.server;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of the SMTP sessions, one per connection (SubEthaSMTP bounds their number by
 * {@code smtp.max.connections}). {@code SMTPServer.stop()} waits for them without a limit; here that wait is cut
 * to what is left of the graceful stop's time.
 */
final class SessionExecutor extends ThreadPoolExecutor {
    private volatile long awaitLimitNanos = Long.MAX_VALUE;

    SessionExecutor(String name) {
        super(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads(name));
    }

    void limitAwait(long nanos) {
        awaitLimitNanos = Math.max(0, nanos);
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return super.awaitTermination(Math.min(unit.toNanos(timeout), awaitLimitNanos), TimeUnit.NANOSECONDS);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
