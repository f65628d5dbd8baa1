package org.smimegw.smtp.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.queue.MessageQueue;

/**
 * Keeps the leases of the messages in flight alive, so that a slow delivery on a live node is never taken over while
 * a dead node's messages are taken up within one lease time. Every third of the lease time one thread renews each
 * lease in flight to end one lease time after the clock's now. A renewal the queue refuses means the lease was lost
 * (another worker took the message): the attempt is marked lost, logged, and no longer renewed; its
 * {@code finishAttempt} is refused by the queue anyway. A renewal that fails because the store is down is tried again
 * at the next period.
 *
 * <p>Call order: {@link #start}, any number of {@link #keep} (each closed when its attempt ends), {@link #stop}.
 * {@link #renewAll} may be called at any time (tests call it instead of waiting for the period). Thread-safe.
 */
final class LeaseRenewals {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewals.class);

    private final MessageQueue queue;
    private final Clock clock;
    private final Duration leaseTime;
    /** By owner: a worker has one attempt in flight at a time. */
    private final Map<String, Kept> inFlight = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    LeaseRenewals(MessageQueue queue, Clock clock, Duration leaseTime) {
        this.queue = queue;
        this.clock = clock;
        this.leaseTime = leaseTime;
    }

    /** A lease kept alive until {@link #close}. */
    final class Kept implements AutoCloseable {
        private final String id;
        private final String owner;
        private volatile boolean lost;

        private Kept(String id, String owner) {
            this.id = id;
            this.owner = owner;
        }

        /** Whether a renewal found the lease taken: the attempt no longer owns its message. */
        boolean lost() {
            return lost;
        }

        /** Ends the renewals; the attempt is over. */
        @Override
        public void close() {
            inFlight.remove(owner, this);
        }
    }

    /** Renews the lease {@code owner} holds on message {@code id} until the returned handle is closed. */
    Kept keep(String id, String owner) {
        Kept kept = new Kept(id, owner);
        inFlight.put(owner, kept);
        return kept;
    }

    /** Renews every lease in flight once: what the scheduler does every third of the lease time. */
    void renewAll() {
        for (Kept kept : inFlight.values()) {
            try {
                // an attempt that ended meanwhile was refused because it was recorded: nothing was lost
                if (!queue.renewLease(kept.id, kept.owner, clock.instant().plus(leaseTime))
                        && inFlight.remove(kept.owner, kept)) {
                    kept.lost = true;
                    LOG.warn("message {}: lease of {} lost while delivering (another worker took it); this attempt"
                            + " will not be recorded", kept.id, kept.owner);
                }
            } catch (RuntimeException e) {
                LOG.warn("message {}: cannot renew the lease of {} ({}); trying again in {}", kept.id, kept.owner,
                        Reply.oneLine(e.toString()), RetrySchedule.format(period()));
            }
        }
    }

    /** The time between two renewals: a third of the lease, so two renewals may fail before the lease ends. */
    Duration period() {
        return leaseTime.dividedBy(3);
    }

    /** Starts renewing every {@link #period}. Once only. */
    synchronized void start(String nodeId) {
        if (scheduler != null) {
            throw new IllegalStateException("lease renewals already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lease-renewal-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        long millis = period().toMillis();
        scheduler.scheduleWithFixedDelay(this::renewAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops renewing; the leases still in flight then run out on their own. */
    synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
