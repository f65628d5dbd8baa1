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

/**
 * The outage promise, from outside: the packaged gateway accepts mail in both directions while the upstream
 * is down (its port closed), keeps every message deferred with the reason across several retry intervals, then meets
 * an upstream that answers 451 for a while, and delivers everything exactly once when the upstream accepts again.
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
        int outbound = GatewayJar.freePort();
        int inbound = GatewayJar.freePort();
        Files.createDirectories(dir.resolve("config"));
        // no signing or encryption: the outage is about the queue, and no certificates keep the test short
        Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n"
                + "outbound.listen=127.0.0.1:" + outbound + "\ninbound.listen=127.0.0.1:" + inbound + "\n"
                + "outbound.relay=127.0.0.1:" + upstream + "\noutbound.relay.tls=none\n"
                + "inbound.relay=127.0.0.1:" + upstream + "\ninbound.relay.tls=none\n"
                + "outbound.sign=never\noutbound.encrypt=never\n"
                + "delivery.retry.intervals=1s\ndelivery.max.age=1h\ndelivery.workers=2\n");
        GatewayJar.Started gateway = jar.start(Map.of(), List.of(), "run");
        try {
            GatewayJar.awaitText(gateway.err(), "smime-gateway running", gateway.process());
            List<String> ids = submitWhileDown(outbound, inbound);

            List<String> down = awaitQueue(jar, "every message deferred " + ATTEMPTS_WHILE_DOWN + " times, connection "
                    + "refused", line -> attempts(line) >= ATTEMPTS_WHILE_DOWN && line.contains(" deferred until ")
                    && line.contains("127.0.0.1:" + upstream) && line.toLowerCase().contains("connection refused"));
            System.out.println("UpstreamOutageIT: while down: " + down.get(0));

            try (CountingSink sink = new CountingSink(upstream, true)) {
                // each command line start costs seconds on a busy machine, so the 451s are counted at the sink
                assertTrue(sink.awaitRefused(ids, WAIT), "not every message was retried at the returning upstream");
                sink.deferring(false);
                assertTrue(sink.awaitAccepted(ids, WAIT), "not delivered: " + ids.stream()
                        .filter(id -> !sink.accepted().containsKey(id)).toList());
                awaitEmptyQueue(jar);
                Map<String, Integer> delivered = sink.accepted();
                System.out.printf("UpstreamOutageIT: %d accepted, %d delivered, %d duplicates, %d s%n", ids.size(),
                        delivered.size(), delivered.values().stream().filter(n -> n > 1).count(),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                assertEquals(ids.size(), delivered.size(), "delivered: " + delivered);
                delivered.forEach((id, times) -> assertEquals(1, times, id + " delivered " + times + " times"));
                assertEquals(0, sink.withoutSeq(), "a message without sequence header (a bounce?) was delivered");
            }
        } finally {
            gateway.process().destroy();
            jar.finish(gateway);
        }
    }

    /** Half the messages outbound, half inbound; each must be accepted although nothing can be delivered. */
    private static List<String> submitWhileDown(int outbound, int inbound) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PER_DIRECTION; i++) {
            ids.add(submit(outbound, "helpdesk@org.example", "bob@example.com", "out-" + i));
            ids.add(submit(inbound, "bob@example.com", "helpdesk@org.example", "in-" + i));
        }
        return ids;
    }

    private static String submit(int port, String from, String to, String seq) throws Exception {
        String reply = SmtpSubmission.send(port, from, to, ("From: " + from + "\r\nTo: " + to + "\r\nSubject: outage "
                + seq + "\r\n" + CountingSink.SEQ_HEADER + ": " + seq + "\r\n\r\nSent while the upstream is down.\r\n")
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
