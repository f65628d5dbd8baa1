package org.smimegw.smtp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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
 * It can answer {@code 451} to the first deliveries of each message, as a relay in trouble does. A message counts
 * only once the sink has read all of it and is about to answer 250. Thread-safe.
 */
final class CountingSink implements AutoCloseable {
    static final String SEQ_HEADER = "X-Test-Seq";
    private static final Pattern SEQ = Pattern.compile("(?im)^" + SEQ_HEADER + ":[ \\t]*(\\S+)\\s*$");

    private final Map<String, Integer> accepted = new HashMap<>();
    private final Map<String, Integer> refused = new HashMap<>();
    private final AtomicInteger withoutSeq = new AtomicInteger();
    private final int refusalsPerMessage;
    private final SMTPServer server;

    /** Listens on loopback at {@code port}, or on a free port when it is 0, and accepts every message. */
    CountingSink(int port) {
        this(port, 0);
    }

    /** @param refusalsPerMessage how many deliveries of each message are answered 451 before one is accepted */
    CountingSink(int port, int refusalsPerMessage) {
        this.refusalsPerMessage = refusalsPerMessage;
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
            if (seq != null && refused.getOrDefault(seq, 0) < refusalsPerMessage) {
                refused.merge(seq, 1, Integer::sum);
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

    /** How often each sequence id was accepted. */
    synchronized Map<String, Integer> accepted() {
        return Map.copyOf(accepted);
    }

    /** Messages accepted that carried no sequence header: bounces, which none of these tests expects. */
    int withoutSeq() {
        return withoutSeq.get();
    }

    /** How often each sequence id was answered 451. */
    synchronized Map<String, Integer> refused() {
        return Map.copyOf(refused);
    }

    /** Waits (bounded) until every id was accepted at least once; returns whether they all were. */
    synchronized boolean awaitAccepted(Collection<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!accepted.keySet().containsAll(ids)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Waits (bounded) until {@code count} different ids were accepted; returns whether they were. */
    synchronized boolean awaitAccepted(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (accepted.size() < count) {
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
