package org.smimegw.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Drives one gateway listener (or the same listener of several nodes) with N SMTP sessions, each sending the same
 * message back to back (closed loop), or all of them together at a fixed rate (open loop, {@link #paced}). Sessions
 * stay open between stages. Counts what the gateway accepted and refused; the caller counts deliveries at the sink.
 */
final class LoadDriver implements AutoCloseable {
    private final String from;
    private final String to;
    private final byte[] message;
    private final List<Connection> connections = new ArrayList<>();
    private final ExecutorService threads;
    private final Set<Thread> clientThreads = ConcurrentHashMap.newKeySet();
    private final AtomicLong acceptedTotal = new AtomicLong();
    private volatile String firstRefusal;

    /** Connection i goes to {@code ports.get(i % ports.size())}: the load is spread evenly over the nodes. */
    LoadDriver(List<Integer> ports, String from, String to, byte[] message, int connectionCount, boolean pipelining)
            throws IOException {
        this.from = from;
        this.to = to;
        this.message = message;
        this.threads = Executors.newFixedThreadPool(connectionCount, task -> {
            Thread thread = new Thread(task, "bench-client");
            thread.setDaemon(true);
            clientThreads.add(thread);
            return thread;
        });
        try {
            for (int i = 0; i < connectionCount; i++) {
                connections.add(new Connection(new SmtpClientSession(ports.get(i % ports.size()), pipelining)));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** What a stage did: accepted and refused counts and the latency samples of accepted messages. */
    record Stage(long accepted, long refused, Latencies latencies) {
    }

    /** Every connection sends back to back until the span is over. */
    Stage closedLoop(Span span) {
        long start = System.nanoTime();
        return runOnEveryConnection(connection -> connection.sendUntil(span, start));
    }

    /**
     * Sends {@code total} messages at {@code perSecond}: message i is due at start + i / rate, whichever
     * connection is free takes it, waiting until it is due. A message sent late (every connection busy) still
     * counts; its latency is measured from its own final dot, as for the closed loop.
     */
    Stage paced(double perSecond, long total) {
        long start = System.nanoTime();
        AtomicLong tickets = new AtomicLong();
        return runOnEveryConnection(connection -> connection.sendPaced(tickets, total, start, perSecond));
    }

    /** The threads the sessions run on ({@link CpuSample} counts their CPU time apart from the gateway's). */
    Set<Thread> clientThreads() {
        return Set.copyOf(clientThreads);
    }

    /** Messages accepted so far over all stages. */
    long acceptedTotal() {
        return acceptedTotal.get();
    }

    String firstRefusal() {
        return firstRefusal;
    }

    private Stage runOnEveryConnection(Function<Connection, Stage> work) {
        List<Future<Stage>> futures = new ArrayList<>();
        for (Connection connection : connections) {
            futures.add(threads.submit(() -> work.apply(connection)));
        }
        long accepted = 0;
        long refused = 0;
        List<Latencies> samples = new ArrayList<>();
        for (Future<Stage> future : futures) {
            try {
                Stage stage = future.get();
                accepted += stage.accepted();
                refused += stage.refused();
                samples.add(stage.latencies());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a benchmark client failed: " + e.getCause().getMessage(),
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return new Stage(accepted, refused, Latencies.merge(samples));
    }

    @Override
    public void close() {
        for (Connection connection : connections) {
            connection.session.close();
        }
        threads.shutdownNow();
    }

    /** One session and its thread's counters for the stage in progress. */
    private final class Connection {
        private final SmtpClientSession session;

        Connection(SmtpClientSession session) {
            this.session = session;
        }

        Stage sendUntil(Span span, long start) {
            Latencies latencies = new Latencies();
            long refused = 0;
            int sent = 0;
            while (!span.over(start, sent)) {
                refused += sendOne(latencies);
                sent++;
            }
            return new Stage(latencies.count(), refused, latencies);
        }

        Stage sendPaced(AtomicLong tickets, long total, long start, double perSecond) {
            Latencies latencies = new Latencies();
            long refused = 0;
            for (long ticket = tickets.getAndIncrement(); ticket < total; ticket = tickets.getAndIncrement()) {
                long due = start + (long) (ticket * 1e9 / perSecond);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                refused += sendOne(latencies);
            }
            return new Stage(latencies.count(), refused, latencies);
        }

        /** Returns 1 when refused, 0 when accepted (its latency recorded). */
        private int sendOne(Latencies latencies) {
            try {
                SmtpClientSession.Sent sent = session.send(from, to, message);
                if (sent.accepted()) {
                    latencies.add(sent.nanos());
                    acceptedTotal.incrementAndGet();
                    return 0;
                }
                if (firstRefusal == null) {
                    firstRefusal = sent.reply();
                }
                return 1;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
