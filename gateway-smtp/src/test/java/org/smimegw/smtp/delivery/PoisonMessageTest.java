package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.MutableClock;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.testing.InMemoryMessageQueue;
import org.smimegw.smtp.config.GatewayConfig;

/** Messages whose delivery attempts keep ending without a result are held, never tried forever. */
class PoisonMessageTest {
    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final String OWNER = "node1-1";
    private static final String POISON = "poison@example.net";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final InMemoryMessageQueue queue = new InMemoryMessageQueue(audit);
    private final AtomicInteger relayed = new AtomicInteger();

    /** Delivers everyone at once, except that it throws on {@link #POISON}, as a bug would. */
    private final DeliveryService service = new DeliveryService(config(), queue, audit, clock, "node1",
            (target, sender, recipients, content) -> {
                if (recipients.contains(POISON)) {
                    throw new IllegalStateException("cannot encode the envelope of " + POISON);
                }
                relayed.incrementAndGet();
                return new RelayResult(recipients.stream()
                        .map(r -> RecipientOutcome.of(r, Reply.fromRelay(250, "250 ok"))).toList(), false);
            });

    private GatewayConfig config() {
        Properties p = new Properties();
        p.setProperty("gateway.hostname", "gw.example.org");
        p.setProperty("delivery.retry.intervals", "1m,5m");
        p.setProperty("delivery.lease.time", "1m");
        return GatewayConfig.load(Path.of("absent.properties"), false, Map.of(), p);
    }

    private String enqueue(String recipient) {
        String id = QueueIds.next(clock.instant());
        queue.enqueue(id, Direction.OUTBOUND, "alice@example.org", List.of(recipient), SmtpUpstreamFixture.MESSAGE,
                clock.instant());
        return id;
    }

    @Test
    void anAttemptThatThrowsIsRecordedAsFailedAndTriedAgainAfterTheRetryWait() {
        String id = enqueue(POISON);

        assertTrue(service.deliverOne(OWNER));

        QueueEntry entry = queue.find(id).orElseThrow();
        assertEquals(QueueState.QUEUED, entry.state());
        assertNull(entry.leaseOwner(), "the lease ends at once, not when it runs out");
        assertEquals(START.plus(Duration.ofMinutes(1)), entry.nextAttemptAt());
        assertEquals("attempt failed: java.lang.IllegalStateException: cannot encode the envelope of " + POISON,
                entry.lastResult());
        AuditEvent failed = audit.all().get(0);
        assertEquals("failed", failed.decision());
        assertEquals(id, failed.subject());
    }

    @Test
    void aMessageWhoseAttemptsKeepThrowingIsHeldWithTheReasonAndOthersAreStillDelivered() {
        String poison = enqueue(POISON);
        for (int attempt = 1; attempt <= DeliveryService.MAX_UNFINISHED_ATTEMPTS; attempt++) {
            assertTrue(service.deliverOne(OWNER));
            assertEquals(QueueState.QUEUED, queue.find(poison).orElseThrow().state(), "attempt " + attempt);
            clock.advance(Duration.ofMinutes(5));
        }
        String good = enqueue("bob@example.net");

        assertTrue(service.deliverOne(OWNER), "the poison message is due first");
        assertTrue(service.deliverOne(OWNER));

        QueueEntry held = queue.find(poison).orElseThrow();
        assertEquals(QueueState.HELD, held.state());
        assertEquals("held: 3 attempts in a row ended without a result (the worker failed or the process died);"
                + " last: attempt failed: java.lang.IllegalStateException: cannot encode the envelope of " + POISON,
                held.lastResult());
        assertTrue(queue.find(good).isEmpty(), "delivered");
        assertEquals(1, relayed.get());
        assertEquals(List.of("failed", "failed", "failed", "held", "delivered"),
                audit.all().stream().map(AuditEvent::decision).toList());
        clock.advance(Duration.ofDays(1));
        assertFalse(service.deliverOne(OWNER), "held means never tried again");
    }

    @Test
    void aMessageLeasedByProcessesThatDiedIsHeldAfterTheBound() {
        String id = enqueue("bob@example.net");
        for (int death = 1; death <= DeliveryService.MAX_UNFINISHED_ATTEMPTS; death++) {
            // a process leases it and dies: the lease simply runs out
            queue.lease("dead-" + death, clock.instant(), LEASE).orElseThrow();
            clock.advance(LEASE.plusSeconds(1));
        }

        assertTrue(service.deliverOne(OWNER));

        QueueEntry held = queue.find(id).orElseThrow();
        assertEquals(QueueState.HELD, held.state());
        assertTrue(held.lastResult().startsWith("held: 3 attempts in a row ended without a result"),
                held.lastResult());
        assertEquals(0, relayed.get());
    }

    @Test
    void oneDeathUnderAnAttemptIsNoReasonToHold() {
        String id = enqueue("bob@example.net");
        queue.lease("dead-1", clock.instant(), LEASE).orElseThrow();
        clock.advance(LEASE.plusSeconds(1));

        assertTrue(service.deliverOne(OWNER));

        assertTrue(queue.find(id).isEmpty(), "delivered by the next worker");
        assertEquals(1, relayed.get());
    }

    @Test
    void aReleasedMessageGetsTheFullNumberOfAttemptsAgain() {
        String id = enqueue(POISON);
        for (int attempt = 0; attempt <= DeliveryService.MAX_UNFINISHED_ATTEMPTS; attempt++) {
            service.deliverOne(OWNER);
            clock.advance(Duration.ofMinutes(5));
        }
        assertEquals(QueueState.HELD, queue.find(id).orElseThrow().state());

        assertTrue(queue.release(id, clock.instant()));
        assertTrue(service.deliverOne(OWNER));

        QueueEntry entry = queue.find(id).orElseThrow();
        assertEquals(QueueState.QUEUED, entry.state());
        assertTrue(entry.lastResult().startsWith("attempt failed:"), entry.lastResult());
    }
}
