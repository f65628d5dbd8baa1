package org.smimegw.smtp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * An upstream MTA for the durability tests: it counts the messages it accepts by their {@code X-Test-Seq} header
 * (which the gateway keeps in both directions, encrypted or not), so a test can tell lost messages from duplicates.
 * While {@link #deferring} is set it reads each message and answers {@code 451}, as a relay in trouble does.
 * A message counts only once the sink has read all of it and is about to answer 250. Thread-safe.
 */
final class CountingSink implements AutoCloseable {
    static final String SEQ_HEADER = "X-Test-Seq";
    private static final Pattern SEQ = Pattern.compile("(?im)^" + SEQ_HEADER + ":[ \\t]*(\\S+)\\s*$");

    private final Map<String, Integer> accepted = new HashMap<>();
    private final Set<String> refused = new HashSet<>();
    private final AtomicInteger withoutSeq = new AtomicInteger();
    private volatile boolean deferring;
    private final SMTPServer server;

    /** Listens on loopback at {@code port}, or on a free port when it is 0, and accepts every message. */
    CountingSink(int port) {
        this(port, false);
    }

    /** @param deferring whether it starts answering 451 (set before the first connection can arrive) */
    CountingSink(int port, boolean deferring) {
        this.deferring = deferring;
        server = SMTPServer.port(port)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("sink.test")
                .insertReceivedHeaders(false)
                .messageHandlerFactory(context -> new MessageHandler() {
                    @Override
                    public void from(String from) {
                    }

                    @Override
                    public void recipient(String recipient) {
                    }

                    @Override
                    public String data(InputStream data) throws IOException, RejectException {
                        received(data.readAllBytes());
                        return null;
                    }

                    @Override
                    public void done() {
                    }
                })
                .build();
        server.start();
    }

    private void received(byte[] message) throws RejectException {
        String seq = seq(message);
        synchronized (this) {
            if (deferring) {
                if (seq != null) {
                    refused.add(seq);
                }
                notifyAll();
                throw new RejectException(451, "4.3.0 sink deferring for the test");
            }
            if (seq == null) {
                withoutSeq.incrementAndGet();
            } else {
                accepted.merge(seq, 1, Integer::sum);
            }
            notifyAll();
        }
    }

    /** The sequence header of the top-level header block only: a DSN quotes the original's in its body. */
    private static String seq(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        Matcher matcher = SEQ.matcher(end < 0 ? text : text.substring(0, end + 2));
        return matcher.find() ? matcher.group(1) : null;
    }

    int port() {
        return server.getPortAllocated();
    }

    void deferring(boolean value) {
        deferring = value;
    }

    /** How often each sequence id was accepted. */
    synchronized Map<String, Integer> accepted() {
        return Map.copyOf(accepted);
    }

    /** Messages accepted that carried no sequence header: bounces, which none of these tests expects. */
    int withoutSeq() {
        return withoutSeq.get();
    }

    /** Waits (bounded) until every id was accepted at least once; returns whether they all were. */
    boolean awaitAccepted(Collection<String> ids, Duration timeout) throws InterruptedException {
        return await(accepted.keySet(), ids, timeout);
    }

    /** Waits (bounded) until every id was refused with 451 at least once; returns whether they all were. */
    boolean awaitRefused(Collection<String> ids, Duration timeout) throws InterruptedException {
        return await(refused, ids, timeout);
    }

    private synchronized boolean await(Set<String> seen, Collection<String> ids, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!seen.containsAll(ids)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public void close() {
        server.stop();
    }
}
