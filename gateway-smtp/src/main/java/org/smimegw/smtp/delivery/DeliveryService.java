package org.smimegw.smtp.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.StoreFailure;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.MessageQueue.Leased;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.monitor.MessageEvents;

/**
 * The delivery workers: {@code delivery.workers} threads that lease due messages from the queue, relay their pending
 * recipients upstream ({@code OUTBOUND} to {@code outbound.relay}, {@code INBOUND} to {@code inbound.relay}), and
 * record the attempt: delivered recipients are done, temporary failures wait for the {@link RetrySchedule}, permanent
 * failures and expired recipients are bounced with a {@link DeliveryStatusNotification} queued the other way.
 *
 * <p>Order of writes for a bounce: the DSN is queued <em>before</em> the attempt is recorded, so a crash in between
 * gives at most a second DSN, never none. A message with the null sender is never bounced.
 *
 * <p>Call order: {@link #start}, any number of {@link #wakeUp} (from any thread), {@link #stop}. Idle workers poll
 * the queue once a second, or at once on {@link #wakeUp}. A worker that meets an exception (the store is down, say)
 * logs one line, waits a little and goes on. Thread-safe.
 *
 * <p>Stopping: {@link #stop} ends leasing, lets attempts in flight finish within the grace period, then interrupts
 * the workers. A worker blocked on the relay's socket is not woken by the interrupt: it ends when the relay answers or
 * {@code delivery.read.timeout} passes, and then still records what it achieved. A message whose attempt is never
 * recorded (the process ends first) keeps its lease until {@code delivery.lease.time} is over; then any worker of any
 * node takes it up again, and recipients that the relay had already accepted may receive it twice. While an attempt
 * lasts, {@link LeaseRenewals} renews its lease every third of the lease time, so a live attempt is never taken over.
 *
 * <p>Poison messages: an attempt that throws (other than the store failing) is recorded as failed, due again after
 * the retry schedule's wait; a message leased again after {@value #MAX_UNFINISHED_ATTEMPTS} attempts in a row that
 * ended without a result (thrown, or the process died under them) is held with the reason instead of tried again.
 */
public final class DeliveryService {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

    /** The longest an idle worker waits before it looks at the queue again. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** The longest a worker waits after an exception (it waits 1 s, 2 s, 4 s, ... up to this). */
    static final Duration MAX_ERROR_WAIT = Duration.ofSeconds(10);
    /**
     * Attempts in a row that may end without a result (the worker failed on the message, or the process died under
     * it) before the message is held instead of tried again: a poison message must not be retried forever.
     */
    static final int MAX_UNFINISHED_ATTEMPTS = 3;

    private final MessageQueue queue;
    private final AuditLog audit;
    private final Clock clock;
    private final String nodeId;
    private final Upstream upstream;
    private final RetrySchedule schedule;
    private final DeliveryStatusNotification dsn;
    private final RelayTarget outboundRelay;
    private final RelayTarget inboundRelay;
    private final int workers;
    private final Duration leaseTime;
    private final DeliveryReport reports;
    private final DeliveryTrail trail;
    private final LeaseRenewals renewals;
    private final Semaphore wakeUps = new Semaphore(0);

    private volatile boolean running;
    private ExecutorService executor;

    /** Delivers over SMTP with Angus Mail ({@link SmtpUpstream}). */
    public DeliveryService(GatewayConfig config, MessageQueue queue, AuditLog audit, Clock clock, String nodeId) {
        this(config, queue, audit, clock, nodeId, new SmtpUpstream(config.hostname(), config.delivery()));
    }

    /**
     * @param nodeId names this process among the nodes sharing the queue; worker n leases as {@code nodeId-n}
     * @param upstream what talks to the relays
     */
    public DeliveryService(GatewayConfig config, MessageQueue queue, AuditLog audit, Clock clock, String nodeId,
            Upstream upstream) {
        this(config, queue, audit, clock, nodeId, upstream, MessageEvents.NONE);
    }

    /**
     * @param events what attempts, final outcomes and the relays' reachability are reported to (the metrics and
     *               {@code /health})
     */
    public DeliveryService(GatewayConfig config, MessageQueue queue, AuditLog audit, Clock clock, String nodeId,
            Upstream upstream, MessageEvents events) {
        this.reports = new DeliveryReport(events);
        this.trail = new DeliveryTrail(audit);
        this.queue = queue;
        this.audit = audit;
        this.clock = clock;
        this.nodeId = nodeId;
        this.upstream = upstream;
        this.schedule = RetrySchedule.of(config);
        this.dsn = new DeliveryStatusNotification(config.hostname());
        this.outboundRelay = new RelayTarget(config.outboundRelay(), config.delivery().outboundRelayTls());
        this.inboundRelay = new RelayTarget(config.inboundRelay(), config.delivery().inboundRelayTls());
        this.workers = config.delivery().workers();
        this.leaseTime = config.delivery().leaseTime();
        this.renewals = new LeaseRenewals(queue, clock, leaseTime);
    }

    /** Starts the workers. Once only. */
    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("delivery already started");
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "delivery-" + nodeId + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        renewals.start(nodeId);
        for (int i = 1; i <= workers; i++) {
            String owner = nodeId + "-" + i;
            executor.execute(() -> work(owner));
        }
    }

    /** Tells an idle worker to look at the queue now, e.g. after a message was queued. Never blocks. */
    public void wakeUp() {
        if (wakeUps.availablePermits() < workers) {
            wakeUps.release();
        }
    }

    /**
     * Stops leasing, waits up to {@code grace} for attempts in flight, then interrupts the workers.
     *
     * @return true when every worker had ended within the grace period
     */
    public boolean stop(Duration grace) {
        ExecutorService stopping;
        synchronized (this) {
            stopping = executor;
            running = false;
        }
        if (stopping == null) {
            return true;
        }
        wakeUps.release(workers);
        stopping.shutdown();
        try {
            if (stopping.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                renewals.stop();
                closeUpstream();
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopping.shutdownNow();
        renewals.stop();
        closeUpstream();
        LOG.warn("delivery: attempts still in flight after {}; their messages are taken up again when their "
                + "lease ends", RetrySchedule.format(grace));
        return false;
    }

    /**
     * The worker's loop. The commit that records an attempt also leases the worker's next message while the service
     * runs; a message leased that way is still attempted after {@link #stop}, so that it does not wait for its lease to
     * end.
     */
    private void work(String owner) {
        int failures = 0;
        Optional<Leased> next = Optional.empty();
        while ((running || next.isPresent()) && !Thread.currentThread().isInterrupted()) {
            try {
                Optional<Leased> leased = next.isPresent() ? next : queue.lease(owner, clock.instant(), leaseTime);
                next = Optional.empty();
                if (leased.isEmpty()) {
                    idle(POLL);
                } else {
                    next = deliver(owner, leased.get(), true);
                }
                failures = 0;
            } catch (RuntimeException | LinkageError | AssertionError e) {
                failures++;
                LOG.warn("delivery worker {}: {}", owner, Reply.oneLine(e.toString()));
                idle(errorWait(failures));
            }
        }
    }

    /** Says QUIT on the connections the upstream keeps open. */
    private void closeUpstream() {
        if (upstream instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing the relay connections: {}", e.toString());
            }
        }
    }

    static Duration errorWait(int failures) {
        long seconds = 1L << Math.min(failures - 1, 10);
        return seconds >= MAX_ERROR_WAIT.getSeconds() ? MAX_ERROR_WAIT : Duration.ofSeconds(seconds);
    }

    private void idle(Duration wait) {
        try {
            wakeUps.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Leases one due message and makes one attempt at it. Package-private so tests can drive single attempts.
     *
     * @return false when nothing was due
     */
    boolean deliverOne(String owner) {
        Optional<Leased> leased = queue.lease(owner, clock.instant(), leaseTime);
        leased.ifPresent(message -> deliver(owner, message, false));
        return leased.isPresent();
    }

    /**
     * One attempt at a leased message.
     *
     * @param leaseNext whether the commit recording the attempt leases the worker's next message (while running)
     * @return the next message so leased
     */
    private Optional<Leased> deliver(String owner, Leased leased, boolean leaseNext) {
        QueueEntry entry = leased.entry();
        if (entry.unfinishedAttempts() > MAX_UNFINISHED_ATTEMPTS) {
            holdPoison(owner, entry);
            return Optional.empty();
        }
        long start = System.nanoTime();
        try (LeaseRenewals.Kept kept = renewals.keep(entry.id(), owner)) {
            return attempt(owner, leased, start, kept, leaseNext);
        } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
            if (StoreFailure.in(e)) {
                // not the message's fault, and the store cannot record anything now: the worker backs off
                throw e;
            }
            reports.failed(entry, Duration.ofNanos(System.nanoTime() - start));
            abandon(owner, entry, e);
            return Optional.empty();
        }
    }

    /** Records an attempt that failed with an exception, so that repeated failures add up to a hold. */
    private void abandon(String owner, QueueEntry entry, Throwable failure) {
        Instant now = clock.instant();
        Duration wait = schedule.waitAfter(entry.attempts() + 1);
        String reason = "attempt failed: " + Reply.oneLine(failure.toString());
        LOG.warn("{} {}: delivery attempt failed; due again in {}", entry.id(), entry.direction().word(),
                RetrySchedule.format(wait), failure);
        if (queue.abandonAttempt(entry.id(), owner, reason, now.plus(wait))) {
            audit.record(new AuditEvent(now, "delivery", entry.id(), "failed", reason));
        }
    }

    private void holdPoison(String owner, QueueEntry entry) {
        int unfinished = entry.unfinishedAttempts() - 1;
        String reason = "held: " + unfinished + " attempts in a row ended without a result (the worker failed or"
                + " the process died); last: " + (entry.lastResult() == null ? "none" : entry.lastResult());
        if (queue.holdLeased(entry.id(), owner, reason)) {
            LOG.warn("{} {} {}; 'queue show {}' tells more, 'queue release {}' tries again", entry.id(),
                    entry.direction().word(), reason, entry.id(), entry.id());
            audit.record(new AuditEvent(clock.instant(), "delivery", entry.id(), "held", reason));
            reports.held(entry);
        }
    }

    /** Renews the leases of the attempts in flight now, as the renewal thread does every third of the lease time. */
    void renewLeases() {
        renewals.renewAll();
    }

    private Optional<Leased> attempt(String owner, Leased leased, long start, LeaseRenewals.Kept kept,
            boolean leaseNext) {
        QueueEntry entry = leased.entry();
        RelayTarget relay = entry.direction() == Direction.OUTBOUND ? outboundRelay : inboundRelay;
        List<String> pending = entry.pendingRecipients();
        RelayResult result = pending.isEmpty() ? new RelayResult(List.of(), false)
                : upstream.deliver(relay, entry.sender(), pending, leased.content());
        Instant now = clock.instant();
        AttemptPlan plan = AttemptPlan.of(entry, result, relay, schedule, now);
        reports.attempt(entry, relay, result, plan, Duration.ofNanos(System.nanoTime() - start));
        String dsnId = null;
        // a lost lease belongs to another worker now: its attempt sends the DSN, and this one is not recorded
        if (!plan.failures().isEmpty() && !entry.nullSender() && !kept.lost()) {
            dsnId = QueueIds.next(now);
            byte[] report = dsn.build(dsnId, entry, leased.content(), plan.failures(), now);
            // before finishAttempt: a crash in between repeats the DSN rather than losing it
            queue.enqueue(dsnId, entry.direction().reverse(), "", List.of(entry.sender()), report, now);
        }
        List<AuditEvent> events = DeliveryTrail.events(entry, relay, result.tls(), plan, dsnId, now);
        Optional<Leased> next = Optional.empty();
        boolean recorded;
        if (leaseNext && running) {
            MessageQueue.Finished finished = queue.finishAttemptAndLease(entry.id(), owner, plan.statuses(),
                    plan.nextAttemptAt(), plan.lastResult(), events, clock.instant(), leaseTime);
            recorded = finished.recorded();
            next = finished.next();
        } else {
            recorded = queue.finishAttempt(entry.id(), owner, plan.statuses(), plan.nextAttemptAt(),
                    plan.lastResult(), events);
        }
        if (!recorded) {
            LOG.warn("message {}: lease lost before the attempt was recorded (took longer than {}?); it was: {}",
                    entry.id(), RetrySchedule.format(leaseTime), plan.lastResult());
            trail.recordAlone(entry, events);
        }
        DeliveryTrail.log(entry, events);
        if (recorded) {
            reports.recorded(entry, plan);
        }
        if (dsnId != null) {
            wakeUp();
        }
        return next;
    }
}
