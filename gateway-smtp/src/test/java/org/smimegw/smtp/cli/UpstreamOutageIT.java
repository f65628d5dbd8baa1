package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.smtp.SmtpSubmission;
import org.smimegw.smtp.sink.SmtpSink;

/**
 * The outage promise, from outside: the packaged gateway accepts mail in both directions while the upstream
 * is down (its port closed), keeps every message deferred with the reason across several retry intervals, then meets
 * an upstream that answers 451 for a while, and delivers everything exactly once when the upstream accepts again.
 * An upstream in trouble until just before {@code delivery.max.age} costs no bounce either.
 */
class UpstreamOutageIT {
    private static final int PER_DIRECTION = 10;
    /** Several retry intervals of 1 s must pass while the upstream is down. */
    private static final int ATTEMPTS_WHILE_DOWN = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void messagesAcceptedDuringAnOutageAreDeferredWithTheReasonAndDeliveredOnceWhenTheUpstreamReturns()
            throws Exception {
        long started = System.nanoTime();
        GatewayJar jar = new GatewayJar(dir);
        int upstream = GatewayJar.freePort();
        Ports ports = configure(upstream, "delivery.retry.intervals=1s\ndelivery.max.age=1h\n");
        GatewayJar.Started gateway = jar.start(Map.of(), List.of(), "run");
        try {
            GatewayJar.awaitText(gateway.err(), "smime-gateway running", gateway.process());
            List<String> ids = submit(ports, PER_DIRECTION);

            List<String> down = awaitQueue(jar, "every message deferred " + ATTEMPTS_WHILE_DOWN + " times, connection "
                    + "refused", line -> attempts(line) >= ATTEMPTS_WHILE_DOWN && line.contains(" deferred until ")
                    && line.contains("127.0.0.1:" + upstream) && line.toLowerCase().contains("connection refused"));
            System.out.println("UpstreamOutageIT: while down: " + down.get(0));

            // back, but in trouble: each message is answered 451 once before it is accepted
            try (SmtpSink sink = SubmissionLoad.countingSink(upstream, 1)) {
                assertTrue(sink.await(accepted -> accepted.keySet().containsAll(ids), WAIT), "not delivered: "
                        + ids.stream().filter(id -> !sink.accepted().containsKey(id)).toList());
                awaitEmptyQueue(jar);
                Map<String, Integer> delivered = sink.accepted();
                System.out.printf("UpstreamOutageIT: %d accepted, %d delivered, %d duplicates, %d s%n", ids.size(),
                        delivered.size(), delivered.values().stream().filter(n -> n > 1).count(),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                assertEquals(ids.size(), delivered.size(), "delivered: " + delivered);
                delivered.forEach((id, times) -> assertEquals(1, times, id + " delivered " + times + " times"));
                sink.deferred().forEach((id, times) -> assertEquals(1, times,
                        id + " answered 451 " + times + " times"));
                assertEquals(0, sink.withoutKey(), "a message without sequence header (a bounce?) was delivered");
            }
        } finally {
            gateway.process().destroy();
            jar.finish(gateway);
        }
    }

    /**
     * Attempts at 0 s and 12 s fail; a third wait of 12 s would cross the maximum age of 20 s. The gateway used to
     * bounce at 12 s; the promise is that an outage shorter than the maximum age costs nothing, so the last attempt
     * falls on 20 s and finds the upstream back.
     */
    @Test
    void anUpstreamInTroubleUntilJustBeforeTheMaximumAgeCostsNoBounce() throws Exception {
        GatewayJar jar = new GatewayJar(dir);
        try (SmtpSink sink = SubmissionLoad.countingSink(0, 2)) {
            Ports ports = configure(sink.port(), "delivery.retry.intervals=12s\ndelivery.max.age=20s\n");
            GatewayJar.Started gateway = jar.start(Map.of(), List.of(), "run");
            try {
                GatewayJar.awaitText(gateway.err(), "smime-gateway running", gateway.process());
                List<String> ids = submit(ports, 1);

                assertTrue(sink.await(accepted -> accepted.keySet().containsAll(ids), WAIT),
                        "not delivered; refusals " + sink.deferred()
                        + ", bounces delivered " + sink.withoutKey());
                assertEquals(Map.of("out-0", 2, "in-0", 2), sink.deferred());
                assertEquals(Map.of("out-0", 1, "in-0", 1), sink.accepted());
                assertEquals(0, sink.withoutKey(), "a bounce was sent");
            } finally {
                gateway.process().destroy();
                jar.finish(gateway);
            }
        }
    }

    /** Listener ports on loopback. */
    private record Ports(int outbound, int inbound) {
    }

    /** Both relays on {@code upstream}; no signing or encryption: this is about the queue, and no keys is faster. */
    private Ports configure(int upstream, String delivery) throws Exception {
        Ports ports = new Ports(GatewayJar.freePort(), GatewayJar.freePort());
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n"
                + "outbound.listen=127.0.0.1:" + ports.outbound() + "\ninbound.listen=127.0.0.1:" + ports.inbound()
                + "\noutbound.relay=127.0.0.1:" + upstream + "\noutbound.relay.tls=none\n"
                + "inbound.relay=127.0.0.1:" + upstream + "\ninbound.relay.tls=none\n"
                + "outbound.sign=never\noutbound.encrypt=never\ndelivery.workers=2\n"
                + "admin.listen=127.0.0.1:" + GatewayJar.freePort() + "\n" + delivery);
        return ports;
    }

    /** {@code perDirection} messages each way, {@code out-N} and {@code in-N}; each must be accepted. */
    private static List<String> submit(Ports ports, int perDirection) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < perDirection; i++) {
            ids.add(submit(ports.outbound(), "helpdesk@org.example", "bob@example.com", "out-" + i));
            ids.add(submit(ports.inbound(), "bob@example.com", "helpdesk@org.example", "in-" + i));
        }
        return ids;
    }

    private static String submit(int port, String from, String to, String seq) throws Exception {
        String reply = SmtpSubmission.send(port, from, to, ("From: " + from + "\r\nTo: " + to + "\r\nSubject: outage "
                + seq + "\r\n" + SubmissionLoad.SEQ_HEADER + ": " + seq
                + "\r\n\r\nSent while the upstream is away.\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertTrue(reply.startsWith("250 2.0.0 queued as "), seq + ": " + reply);
        return seq;
    }

    /** Runs {@code queue list} until it shows every message and each line matches; bounded. */
    private static List<String> awaitQueue(GatewayJar jar, String what, Predicate<String> each) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> lines;
        do {
            lines = jar.succeeds(Map.of(), "queue", "list").out().lines().toList();
            if (lines.size() == 2 * PER_DIRECTION && lines.stream().allMatch(each)) {
                return lines;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not " + what + " within " + WAIT.toSeconds() + " s:\n" + String.join("\n", lines));
    }

    private static void awaitEmptyQueue(GatewayJar jar) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String list;
        do {
            list = jar.succeeds(Map.of(), "queue", "list").out();
        } while (!list.isBlank() && System.nanoTime() < deadline);
        assertTrue(list.isBlank(), "still queued after delivery:\n" + list);
    }

    /** The {@code attempts=N} of a {@code queue list} line. */
    private static int attempts(String line) {
        int at = line.indexOf(" attempts=");
        return at < 0 ? -1 : Integer.parseInt(line.substring(at + 10, line.indexOf(' ', at + 10)));
    }
}
