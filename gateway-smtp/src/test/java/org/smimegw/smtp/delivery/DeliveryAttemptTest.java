package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.MutableClock;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.StoreFailure;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.smtp.config.GatewayConfig;

/** Single attempts and the workers' resilience, with the relay replaced by a scripted {@link Upstream}. */
class DeliveryAttemptTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
    private static final String OWNER = "node1-1";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final RecordingQueue queue = new RecordingQueue(audit);

    private GatewayConfig config() {
        Properties p = new Properties();
        p.setProperty("gateway.hostname", "gw.example.org");
        p.setProperty("outbound.relay", "mx.example.org:25");
        p.setProperty("inbound.relay", "helpdesk.example.org:2525");
        p.setProperty("delivery.retry.intervals", "1m,5m");
        p.setProperty("delivery.max.age", "10m");
        p.setProperty("delivery.workers", "2");
        p.setProperty("delivery.lease.time", "1m");
        return GatewayConfig.load(dir.resolve("absent.properties"), false, Map.of(), p);
    }

    private DeliveryService service(Function<List<String>, List<RecipientOutcome>> relay) {
        return new DeliveryService(config(), queue, audit, clock, "node1",
                (target, sender, recipients, content) -> new RelayResult(relay.apply(recipients), false));
    }

    private static Function<List<String>, List<RecipientOutcome>> everyone(Reply reply) {
        return recipients -> recipients.stream().map(r -> RecipientOutcome.of(r, reply)).toList();
    }

    private String enqueue(String sender, String... recipients) {
        String id = QueueIds.next(clock.instant());
        queue.enqueue(id, Direction.OUTBOUND, sender, List.of(recipients),
                SmtpUpstreamFixture.MESSAGE, clock.instant());
        queue.writes.clear();
        return id;
    }

    /** Keeps the DSNs queued so far out of the next leases. */
    private void holdDsns() {
        dsns().forEach(dsn -> queue.hold(dsn.id()));
    }

    private List<QueueEntry> dsns() {
        return queue.list().stream().filter(QueueEntry::nullSender).toList();
    }

    @Test
    void theDsnIsQueuedBeforeTheAttemptIsRecorded() {
        DeliveryService service = service(everyone(Reply.fromRelay(550, "550 5.1.1 unknown")));
        String id = enqueue("alice@example.org", "nobody@example.net");

        assertTrue(service.deliverOne(OWNER));

        QueueEntry dsn = dsns().get(0);
        assertEquals(List.of("enqueue " + dsn.id(), "finishAttempt " + id), queue.writes);
        assertEquals(Direction.INBOUND, dsn.direction());
        assertEquals(List.of("alice@example.org"), dsn.pendingRecipients());
        assertEquals(START, dsn.nextAttemptAt());
        assertTrue(queue.find(id).isEmpty());
    }

    @Test
    void aCrashBetweenDsnAndRecordGivesASecondDsnNotNone() {
        DeliveryService service = service(everyone(Reply.fromRelay(550, "550 5.1.1 unknown")));
        String id = enqueue("alice@example.org", "nobody@example.net");
        queue.failingFinishes.set(1);

        assertThrows(StoreFailure.class, () -> service.deliverOne(OWNER));
        assertEquals(1, dsns().size());
        holdDsns();
        assertEquals(OWNER, queue.find(id).orElseThrow().leaseOwner(), "the lease is kept until it ends");
        assertFalse(service.deliverOne("node2-1"), "nobody else takes it while the lease lasts");

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertTrue(service.deliverOne("node2-1"));
        assertEquals(2, dsns().size());
        assertTrue(queue.find(id).isEmpty());
    }

    @Test
    void aLostLeaseIsLoggedAndTheWorkerGoesOn() {
        DeliveryService service = service(everyone(Reply.fromRelay(250, "250 ok")));
        String id = enqueue("alice@example.org", "bob@example.net");
        queue.leaseLost = true;

        assertTrue(service.deliverOne(OWNER));

        assertEquals("delivered", audit.all().get(0).decision(), "what happened upstream is still audited");
        assertEquals(id, audit.all().get(0).subject());
    }

    @Test
    void expiryAfterLocalFailuresBouncesWithoutRemoteMta() throws Exception {
        DeliveryService service = service(everyone(Reply.local("cannot connect to mx.example.org:25: refused")));
        String id = enqueue("alice@example.org", "bob@example.net");

        assertTrue(service.deliverOne(OWNER));
        clock.advance(Duration.ofMinutes(1));
        assertTrue(service.deliverOne(OWNER));
        assertEquals(START.plus(Duration.ofMinutes(6)), queue.find(id).orElseThrow().nextAttemptAt());
        assertFalse(service.deliverOne(OWNER), "not due before its time");
        clock.advance(Duration.ofMinutes(5));
        assertTrue(service.deliverOne(OWNER));
        assertEquals(START.plus(Duration.ofMinutes(10)), queue.find(id).orElseThrow().nextAttemptAt(),
                "the last wait is cut short to end at the maximum age, not given up before it");
        clock.advance(Duration.ofMinutes(4));
        assertTrue(service.deliverOne(OWNER));

        assertTrue(queue.find(id).isEmpty());
        QueueEntry dsn = dsns().get(0);
        MimeMessage report = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(queue.content(dsn.id()).orElseThrow().toByteArray()));
        String status;
        try (InputStream in = ((MimeMultipart) report.getContent()).getBodyPart(1).getInputStream()) {
            status = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertTrue(status.contains("Status: 4.4.7\r\n"), status);
        assertFalse(status.contains("Remote-MTA"), status);
        assertFalse(status.contains("Diagnostic-Code"), status);
        String human = (String) ((MimeMultipart) report.getContent()).getBodyPart(0).getContent();
        assertTrue(human.contains("<bob@example.net>: 4.4.7 delivery time expired after 10m; last reply: cannot "
                + "connect to mx.example.org:25: refused"), human);
        AuditEvent bounced = audit.all().get(audit.all().size() - 1);
        assertEquals("bounced", bounced.decision());
        assertTrue(bounced.detail().endsWith("dsn=" + dsn.id()), bounced.detail());
    }

    @Test
    void mixedOutcomesAreRecordedPerRecipient() {
        DeliveryService service = service(recipients -> List.of(
                RecipientOutcome.of(recipients.get(0), Reply.fromRelay(250, "250 2.0.0 queued as X")),
                RecipientOutcome.of(recipients.get(1), Reply.fromRelay(452, "452 4.2.2 mailbox full")),
                RecipientOutcome.of(recipients.get(2), Reply.fromRelay(550, "550 5.1.1 unknown"))));
        String id = enqueue("alice@example.org", "bob@example.net", "carol@example.net", "nobody@example.net");

        assertTrue(service.deliverOne(OWNER));
        holdDsns();

        QueueEntry entry = queue.find(id).orElseThrow();
        assertEquals(List.of(
                new RecipientStatus("bob@example.net", RecipientStatus.State.DELIVERED, "250 2.0.0 queued as X"),
                new RecipientStatus("carol@example.net", RecipientStatus.State.PENDING, "452 4.2.2 mailbox full"),
                new RecipientStatus("nobody@example.net", RecipientStatus.State.FAILED, "550 5.1.1 unknown")),
                entry.recipients());
        assertEquals(START.plus(Duration.ofMinutes(1)), entry.nextAttemptAt());
        assertEquals("1 delivered; 1 deferred until 2026-06-01T12:01:00Z: 452 4.2.2 mailbox full; 1 bounced: "
                + "host mx.example.org said: 550 5.1.1 unknown", entry.lastResult());
        assertEquals(List.of("delivered", "deferred", "bounced"),
                audit.all().stream().map(AuditEvent::decision).toList());
        assertEquals("to=carol@example.net relay=mx.example.org:25 reply=452 4.2.2 mailbox full "
                + "next=2026-06-01T12:01:00Z", audit.all().get(1).detail());

        // the next attempt only tries carol
        Set<String> tried = ConcurrentHashMap.newKeySet();
        DeliveryService second = new DeliveryService(config(), queue, audit, clock, "node1",
                (target, sender, recipients, content) -> {
                    tried.addAll(recipients);
                    return new RelayResult(everyone(Reply.fromRelay(250, "250 ok")).apply(recipients), true);
                });
        clock.advance(Duration.ofMinutes(1));
        assertTrue(second.deliverOne(OWNER));
        assertEquals(Set.of("carol@example.net"), tried);
        assertTrue(queue.find(id).isEmpty());
        assertEquals(1, dsns().size(), "nobody bounced twice");
    }

    @Test
    void workersOutliveAStoreOutage() throws Exception {
        DeliveryService service = service(everyone(Reply.fromRelay(250, "250 ok")));
        String id = enqueue("alice@example.org", "bob@example.net");
        queue.failingLeases.set(3);
        service.start();
        try {
            audit.await(id, "delivered", WAIT);
            assertEquals(0, queue.failingLeases.get());
        } finally {
            assertTrue(service.stop(Duration.ofSeconds(10)));
        }
    }

    @Test
    void errorWaitsGrowAndStayShort() {
        assertEquals(Duration.ofSeconds(1), DeliveryService.errorWait(1));
        assertEquals(Duration.ofSeconds(2), DeliveryService.errorWait(2));
        assertEquals(Duration.ofSeconds(8), DeliveryService.errorWait(4));
        assertEquals(DeliveryService.MAX_ERROR_WAIT, DeliveryService.errorWait(5));
        assertEquals(DeliveryService.MAX_ERROR_WAIT, DeliveryService.errorWait(1000));
    }

    @Test
    void stopLeavesAStuckAttemptItsLease() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(2);
        CountDownLatch relayAnswers = new CountDownLatch(1);
        DeliveryService service = new DeliveryService(config(), queue, audit, clock, "node1",
                (target, sender, recipients, content) -> {
                    inFlight.countDown();
                    // like a socket read: deaf to interrupts until the relay answers
                    boolean answered = false;
                    while (!answered) {
                        try {
                            answered = relayAnswers.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            // keeps waiting, as a blocked socket would
                        }
                    }
                    return new RelayResult(everyone(Reply.fromRelay(250, "250 ok")).apply(recipients), false);
                });
        String first = enqueue("alice@example.org", "bob@example.net");
        String second = enqueue("alice@example.org", "carol@example.net");
        service.start();
        service.wakeUp();
        service.wakeUp();
        assertTrue(inFlight.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(Set.of("node1-1", "node1-2"), Set.of(queue.find(first).orElseThrow().leaseOwner(),
                queue.find(second).orElseThrow().leaseOwner()));

        assertFalse(service.stop(Duration.ofMillis(200)));
        assertTrue(queue.find(first).orElseThrow().leaseOwner().startsWith("node1-"),
                "the attempt was not recorded: its lease stands until it ends");

        relayAnswers.countDown();
        audit.await(first, "delivered", WAIT);
        audit.await(second, "delivered", WAIT);
    }

    @Test
    void startOnlyOnce() {
        DeliveryService service = service(everyone(Reply.fromRelay(250, "250 ok")));
        service.start();
        try {
            assertThrows(IllegalStateException.class, service::start);
        } finally {
            assertTrue(service.stop(Duration.ofSeconds(10)));
        }
    }
}
