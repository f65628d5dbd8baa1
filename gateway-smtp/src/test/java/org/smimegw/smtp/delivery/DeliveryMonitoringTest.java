package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.MutableClock;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.QueueState;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.monitor.LogCapture;
import org.smimegw.smtp.monitor.MessageLog;
import org.smimegw.smtp.monitor.RecordingEvents;

/** What the workers report to the monitoring, and the one log line per message at its final state. */
class DeliveryMonitoringTest {
    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
    private static final String OWNER = "node1-1";
    private static final String VERDICTS = "signed=yes encrypted=no";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final RecordingQueue queue = new RecordingQueue(audit);
    private final RecordingEvents events = new RecordingEvents();
    private final LogCapture log = LogCapture.of(MessageLog.class);

    @AfterEach
    void close() {
        log.close();
    }

    private DeliveryService service(Function<String, Reply> replyFor) {
        Properties p = new Properties();
        p.setProperty("gateway.hostname", "gw.example.org");
        p.setProperty("outbound.relay", "mx.example.org:25");
        p.setProperty("inbound.relay", "helpdesk.example.org:2525");
        p.setProperty("delivery.retry.intervals", "1m,5m");
        p.setProperty("delivery.max.age", "1h");
        GatewayConfig config = GatewayConfig.load(dir.resolve("absent.properties"), false, Map.of(), p);
        return new DeliveryService(config, queue, audit, clock, "node1", (target, sender, recipients, content) ->
                new RelayResult(recipients.stream().map(r -> RecipientOutcome.of(r, replyFor.apply(r))).toList(),
                        false), events);
    }

    private String enqueue(String... recipients) {
        String id = QueueIds.next(clock.instant());
        queue.enqueue(id, Direction.OUTBOUND, "alice@example.org", List.of(recipients),
                Bytes.of(SmtpUpstreamFixture.MESSAGE), clock.instant(), VERDICTS);
        return id;
    }

    private static Map<String, String> line(String id, String result, long delivered, long bounced, int attempts) {
        Map<String, String> line = new LinkedHashMap<>();
        line.put("id", id);
        line.put("direction", "outbound");
        line.put("signed", "yes");
        line.put("encrypted", "no");
        line.put("result", result);
        line.put("delivered", Long.toString(delivered));
        line.put("bounced", Long.toString(bounced));
        line.put("attempts", Integer.toString(attempts));
        line.put("size", Integer.toString(SmtpUpstreamFixture.MESSAGE.length));
        line.put("dsn", "no");
        return line;
    }

    @Test
    void aDeliveredMessageLogsOneFinalLineWithItsVerdictsAndIsCounted() {
        DeliveryService service = service(r -> Reply.fromRelay(250, "250 2.0.0 ok"));
        String id = enqueue("bob@example.net", "carol@example.net");

        assertTrue(service.deliverOne(OWNER));

        assertEquals(List.of(line(id, "delivered", 2, 0, 1)), log.keyValues());
        assertEquals(List.of("relay outbound mx.example.org:25 reachable", "attempt outbound delivered",
                "recipients outbound delivered 2", "finished outbound delivered"), events.events());
    }

    @Test
    void aDeferredMessageLogsNothingFinalUntilItsLastRecipientIsDone() {
        Reply[] reply = {Reply.fromRelay(451, "451 4.3.0 later")};
        DeliveryService service = service(r -> reply[0]);
        String id = enqueue("bob@example.net");

        assertTrue(service.deliverOne(OWNER));
        assertEquals(List.of(), log.keyValues());
        assertEquals(List.of("relay outbound mx.example.org:25 reachable", "attempt outbound deferred",
                "recipients outbound deferred 1"), events.events());

        reply[0] = Reply.fromRelay(250, "250 ok");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(service.deliverOne(OWNER));

        assertEquals(List.of(line(id, "delivered", 1, 0, 2)), log.keyValues());
    }

    @Test
    void someDeliveredAndSomeBouncedIsAPartialResult() {
        DeliveryService service = service(r -> r.startsWith("bob") ? Reply.fromRelay(250, "250 ok")
                : Reply.fromRelay(550, "550 5.1.1 unknown"));
        String id = enqueue("bob@example.net", "nobody@example.net");

        assertTrue(service.deliverOne(OWNER));

        assertEquals(List.of(line(id, "partial", 1, 1, 1)), log.keyValues());
        assertTrue(events.events().contains("attempt outbound bounced"), events.events().toString());
        assertTrue(events.events().contains("finished outbound partial"), events.events().toString());
    }

    @Test
    void aRelayThatGivesNoAnswerOr421IsReportedUnreachable() {
        Reply[] reply = {Reply.local("cannot connect to mx.example.org:25: Connection refused")};
        DeliveryService service = service(r -> reply[0]);
        enqueue("bob@example.net");

        assertTrue(service.deliverOne(OWNER));
        reply[0] = Reply.fromRelay(421, "421 4.3.2 shutting down");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(service.deliverOne(OWNER));

        assertEquals(List.of("relay outbound mx.example.org:25 unreachable",
                "relay outbound mx.example.org:25 unreachable"),
                events.events().stream().filter(e -> e.startsWith("relay")).toList());
    }

    @Test
    void aPoisonMessageHeldLogsHeldAfterItsFailedAttempts() {
        DeliveryService service = service(r -> {
            throw new IllegalStateException("bug");
        });
        String id = enqueue("bob@example.net");

        for (int attempt = 0; attempt <= DeliveryService.MAX_UNFINISHED_ATTEMPTS; attempt++) {
            assertTrue(service.deliverOne(OWNER));
            clock.advance(Duration.ofMinutes(6));
        }

        assertEquals(QueueState.HELD, queue.find(id).map(QueueEntry::state).orElseThrow());
        assertEquals(List.of("attempt outbound failed", "attempt outbound failed", "attempt outbound failed",
                "finished outbound held"), events.events());
        Map<String, String> held = new LinkedHashMap<>();
        held.put("id", id);
        held.put("direction", "outbound");
        held.put("signed", "yes");
        held.put("encrypted", "no");
        held.put("result", "held");
        held.put("recipients", "1");
        held.put("attempts", "3");
        held.put("size", Integer.toString(SmtpUpstreamFixture.MESSAGE.length));
        assertEquals(List.of(held), log.keyValues());
    }
}
