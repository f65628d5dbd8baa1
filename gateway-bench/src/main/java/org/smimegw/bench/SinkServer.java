package org.smimegw.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.smimegw.core.queue.Direction;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The upstream the gateway delivers to (the MTA for outbound, the helpdesk for inbound): an in-process SMTP server
 * on a free loopback port that reads each message, checks its head (outbound: S/MIME enveloped; inbound:
 * {@code smime=pass} and decrypted) and counts it. Throughput is measured here, where messages leave the gateway.
 */
final class SinkServer implements AutoCloseable {
    private static final int HEAD = 64 * 1024;

    private final AtomicLong outbound = new AtomicLong();
    private final AtomicLong inbound = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile String firstUnexpected;
    private final SMTPServer server;

    SinkServer() {
        server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("sink.bench")
                .insertReceivedHeaders(false)
                .maxConnections(1000)
                .maxMessageSize(Integer.MAX_VALUE)
                .messageHandlerFactory(context -> new Handler())
                .build();
        server.start();
    }

    int port() {
        return server.getPortAllocated();
    }

    /** Messages delivered in this direction so far that looked as they should. */
    long delivered(Direction direction) {
        return direction == Direction.OUTBOUND ? outbound.get() : inbound.get();
    }

    /**
     * Waits until {@code count} messages have been delivered in this direction.
     *
     * @return false when the timeout passed first
     */
    synchronized boolean awaitDelivered(Direction direction, long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (delivered(direction) < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void arrived() {
        notifyAll();
    }

    /** Messages that were not what the gateway should deliver (a bounce, a failed verification). */
    long unexpected() {
        return unexpected.get();
    }

    String firstUnexpected() {
        return firstUnexpected;
    }

    long bytes() {
        return bytes.get();
    }

    private void count(String recipient, InputStream data) throws IOException {
        byte[] head = data.readNBytes(HEAD);
        long size = head.length + data.transferTo(OutputStream.nullOutputStream());
        bytes.addAndGet(size);
        String headText = new String(head, StandardCharsets.ISO_8859_1);
        int end = headText.indexOf("\r\n\r\n");
        String headers = (end < 0 ? headText : headText.substring(0, end)).toLowerCase(Locale.ROOT);
        String to = recipient == null ? "" : recipient.toLowerCase(Locale.ROOT);
        if (to.equals(BenchIdentities.CONTACT) && headers.contains("application/pkcs7-mime")) {
            outbound.incrementAndGet();
        } else if (to.equals(BenchIdentities.ORG) && headers.contains("smime=pass")
                && headers.contains("x-smime-encryption: decrypted")) {
            inbound.incrementAndGet();
        } else {
            if (unexpected.getAndIncrement() == 0) {
                firstUnexpected = "to " + recipient + ":\n" + headers;
            }
        }
        arrived();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Handler implements MessageHandler {
        private String recipient;

        @Override
        public void from(String from) {
        }

        @Override
        public void recipient(String to) {
            recipient = to;
        }

        @Override
        public String data(InputStream data) throws IOException {
            count(recipient, data);
            return null;
        }

        @Override
        public void done() {
        }
    }
}
