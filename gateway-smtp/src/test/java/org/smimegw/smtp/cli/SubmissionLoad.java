package org.smimegw.smtp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.smimegw.smtp.sink.SmtpSink;

/**
 * Client threads that submit small messages to the gateway in a loop, each over its own SMTP session, as a helpdesk
 * or an MTA under load would. Every message carries a unique {@link #SEQ_HEADER}; an id counts as
 * acknowledged only when the reply to its final dot was read and was a 250. A broken session (the gateway was killed)
 * is opened again until the load is stopped. Thread-safe.
 */
final class SubmissionLoad implements AutoCloseable {
    /** The header that numbers each message: the gateway keeps it in both directions, encrypted or not. */
    static final String SEQ_HEADER = "X-Test-Seq";
    private static final int TIMEOUT_MS = 30_000;
    /** How long a client waits before connecting again to a gateway that is down. */
    private static final long RECONNECT_WAIT_MS = 20;

    /**
     * An upstream that counts the messages it accepts by their {@link #SEQ_HEADER} (bounces, which have none, count as
     * without a key), so a test can tell lost messages from duplicates; it answers 451 to the first {@code deferrals}
     * deliveries of each message, as a relay in trouble does.
     */
    static SmtpSink countingSink(int port, int deferrals) {
        return SmtpSink.builder().port(port).countBy(delivery -> delivery.header(SEQ_HEADER)).deferFirst(deferrals)
                .start();
    }

    /** One client thread's route: the listener's port and the envelope. */
    record Route(String name, int port, String from, String to) {
    }

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> submitted = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> otherReplies = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    /** Starts one client thread per route. */
    SubmissionLoad(List<Route> routes) {
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            String prefix = route.name() + i + "-";
            Thread thread = new Thread(() -> submitUntilStopped(route, prefix), "load-" + prefix);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void submitUntilStopped(Route route, String prefix) {
        int next = 0;
        while (stopped.getCount() > 0) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", route.port()), TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                Session session = new Session(socket);
                session.expect("220", session.reply());
                session.expect("250", session.command("EHLO load.test"));
                while (stopped.getCount() > 0) {
                    String seq = prefix + next++;
                    submitted.add(seq);
                    String reply = session.submit(route, seq);
                    if (reply.startsWith("250")) {
                        acknowledged.add(seq);
                    } else {
                        otherReplies.merge(reply.substring(0, Math.min(3, reply.length())), 1, Integer::sum);
                    }
                }
                session.command("QUIT");
            } catch (IOException e) {
                // the gateway is down or was killed during the transaction: that id stays unacknowledged
                awaitStop(RECONNECT_WAIT_MS);
            }
        }
    }

    private void awaitStop(long millis) {
        try {
            stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ids answered 250. */
    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    /** Ids whose transaction was started, acknowledged or not. */
    Set<String> submitted() {
        return Set.copyOf(submitted);
    }

    /** Replies to the final dot other than 250, by code. */
    Map<String, Integer> otherReplies() {
        return new TreeMap<>(otherReplies);
    }

    /** Waits (bounded) until at least {@code count} ids are acknowledged in all; returns whether they were. */
    boolean awaitAcknowledged(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            awaitStop(10);
        }
        return true;
    }

    /** Stops the clients and waits (bounded) for them; a transaction in progress is finished first. */
    @Override
    public void close() throws InterruptedException {
        stopped.countDown();
        for (Thread thread : threads) {
            thread.join(TIMEOUT_MS);
        }
    }

    /** One SMTP session: commands one at a time, replies read whole (multi-line included). */
    private static final class Session {
        private final BufferedReader in;
        private final OutputStream out;

        Session(Socket socket) throws IOException {
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        String submit(Route route, String seq) throws IOException {
            expect("250", command("MAIL FROM:<" + route.from() + ">"));
            expect("250", command("RCPT TO:<" + route.to() + ">"));
            expect("354", command("DATA"));
            return command("From: <" + route.from() + ">\r\nTo: <" + route.to() + ">\r\nSubject: load " + seq
                    + "\r\nMessage-ID: <" + seq + "@load.test>\r\n" + SEQ_HEADER + ": " + seq
                    + "\r\n\r\nMessage " + seq + " of the durability load.\r\n"
                    + "A second line, so that the body is more than one line long.\r\n.");
        }

        String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply();
        }

        String reply() throws IOException {
            StringBuilder reply = new StringBuilder();
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("connection closed; so far: " + reply);
                }
                reply.append(line).append('\n');
            } while (line.length() > 3 && line.charAt(3) == '-');
            return reply.toString();
        }

        /** A refusal before DATA is not expected under this load: the session is given up and opened again. */
        void expect(String code, String reply) throws IOException {
            if (!reply.startsWith(code)) {
                throw new IOException("expected " + code + ", got " + reply.strip());
            }
        }
    }
}
