package org.smimegw.smtp.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import org.smimegw.core.mime.SpoolArea;
import org.smimegw.smtp.server.HandlerDataCommand;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * An SMTP server on loopback that stands in for the MTA or the helpdesk the gateway delivers to: the demo's
 * upstream, the tests' and the benchmark's. It reads every message to its end, streams it into a file of its own
 * when asked to ({@link Builder#filesIn}), and counts it under a key taken from the message ({@link Builder#countBy});
 * it can answer {@code 451} to the first deliveries of each key, as a relay in trouble does. A message counts only
 * once it has been read in full and is about to be answered 250. Thread-safe.
 */
public final class SmtpSink implements AutoCloseable {
    private static final int HEAD = 64 * 1024;
    private static final String THREAD_PREFIX = "smtp-sink-";

    private final Path directory;
    private final Tally tally;
    private final BlockingQueue<Delivery> kept = new LinkedBlockingQueue<>();
    private final SMTPServer server;
    private final Set<Thread> sessionThreads = ConcurrentHashMap.newKeySet();

    private SmtpSink(Builder options) {
        directory = options.directory;
        tally = new Tally(options.key, options.deferrals);
        AtomicInteger sessions = new AtomicInteger();
        server = SMTPServer.port(options.port)
                .executorService(Executors.newCachedThreadPool(task -> {
                    Thread thread = new Thread(task, THREAD_PREFIX + sessions.incrementAndGet());
                    thread.setDaemon(true);
                    sessionThreads.add(thread);
                    return thread;
                }))
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("sink.test")
                .insertReceivedHeaders(false)
                .maxMessageSize(Integer.MAX_VALUE)
                .messageHandlerFactory(context -> new Handler())
                .build();
        HandlerDataCommand.install(server, SpoolArea.DEFAULT);
        server.start();
    }

    /** A sink on a free port that keeps no files and counts every message as without a key. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The threads the sink's sessions ran on, so that a benchmark can tell their CPU time from the gateway's
     * (SubEthaSMTP renames a thread while it serves a session, so names do not tell).
     */
    public Set<Thread> sessionThreads() {
        return Set.copyOf(sessionThreads);
    }

    public int port() {
        return server.getPortAllocated();
    }

    /** The next message kept in a file, in the order accepted; empty when none arrives within the timeout. */
    public Optional<Delivery> next(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(kept.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** How often each key was accepted. */
    public Map<String, Integer> accepted() {
        return tally.accepted();
    }

    /** How often each key was answered 451. */
    public Map<String, Integer> deferred() {
        return tally.deferred();
    }

    /** Messages accepted that had no key. */
    public int withoutKey() {
        return tally.withoutKey();
    }

    /** The first message accepted without a key. */
    public Optional<Delivery> firstWithoutKey() {
        return tally.firstWithoutKey();
    }

    /** Waits (bounded) until the counts of {@link #accepted} satisfy {@code condition}; returns whether they did. */
    public boolean await(Predicate<Map<String, Integer>> condition, Duration timeout) throws InterruptedException {
        return tally.await(condition, timeout);
    }

    @Override
    public void close() {
        server.stop();
    }

    private void receive(String sender, List<String> recipients, InputStream data)
            throws IOException, RejectException {
        byte[] head = data.readNBytes(HEAD);
        Path file = directory == null ? null : Files.createTempFile(directory, "delivered-", ".eml");
        try (OutputStream out = file == null ? OutputStream.nullOutputStream() : Files.newOutputStream(file)) {
            out.write(head);
            data.transferTo(out);
        }
        Delivery delivery = new Delivery(sender, List.copyOf(recipients), headers(head), file);
        if (!tally.admit(delivery)) {
            if (file != null) {
                Files.delete(file);
            }
            throw new RejectException(451, "4.3.0 sink deferring");
        }
        if (file != null) {
            kept.add(delivery);
        }
    }

    private static String headers(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    /** How a sink is set up; {@link #start} starts it. */
    public static final class Builder {
        private int port;
        private Path directory;
        private Function<Delivery, Optional<String>> key = delivery -> Optional.empty();
        private int deferrals;

        private Builder() {
        }

        /** Listens on this loopback port instead of a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Writes each accepted message into a file of its own in {@code directory}, handed out by {@link #next}. */
        public Builder filesIn(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Counts each message under the key this gives, or as without a key when it gives none. */
        public Builder countBy(Function<Delivery, Optional<String>> key) {
            this.key = key;
            return this;
        }

        /** Answers {@code 451} to the first {@code deferrals} deliveries of each key before one is accepted. */
        public Builder deferFirst(int deferrals) {
            this.deferrals = deferrals;
            return this;
        }

        public SmtpSink start() {
            return new SmtpSink(this);
        }
    }

    private final class Handler implements MessageHandler {
        private String sender;
        private final List<String> recipients = new ArrayList<>();

        @Override
        public void from(String from) {
            sender = from;
        }

        @Override
        public void recipient(String recipient) {
            recipients.add(recipient);
        }

        @Override
        public String data(InputStream data) throws IOException, RejectException {
            receive(sender, recipients, data);
            return null;
        }

        @Override
        public void done() {
        }
    }
}
