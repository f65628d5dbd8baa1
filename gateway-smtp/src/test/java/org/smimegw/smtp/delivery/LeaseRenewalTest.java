package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.MutableClock;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue.Leased;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.smtp.config.GatewayConfig;

/**
 * A worker renews the lease of the message it delivers for as long as the attempt lasts: a slow delivery on a live
 * node is never taken over, and an attempt whose lease was taken anyway records nothing. The clock is moved by hand
 * and renewals are triggered by the test ({@link DeliveryService#renewLeases}), except in the one test of the
 * renewal thread itself.
 */
class LeaseRenewalTest {
    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final String OWNER = "node1-1";
    private static final String OTHER_NODE = "node2-1";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final RecordingQueue queue = new RecordingQueue(audit);
    /** What the other node got each time it tried to lease during the slow attempt. */
    private final List<Boolean> otherNodeGotAMessage = new ArrayList<>();

    private DeliveryService service(String leaseTime, Upstream upstream) {
        Properties p = new Properties();
        p.setProperty("gateway.hostname", "gw.example.org");
        p.setProperty("delivery.retry.intervals", "1m,5m");
        p.setProperty("delivery.workers", "1");
        p.setProperty("delivery.lease.time", leaseTime);
        GatewayConfig config = GatewayConfig.load(dir.resolve("absent.properties"), false, Map.of(), p);
        return new DeliveryService(config, queue, audit, clock, "node1", upstream);
    }

    /** A relay that takes {@code steps} thirds of the lease time, calling {@code step} after each, then answers. */
    private static Upstream slowRelay(int steps, Runnable step, Reply reply) {
        return (target, sender, recipients, content) -> {
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            return new RelayResult(recipients.stream().map(r -> RecipientOutcome.of(r, reply)).toList(), false);
        };
    }

    private String enqueue() {
        String id = QueueIds.next(clock.instant());
        queue.enqueue(id, Direction.OUTBOUND, "alice@example.org", List.of("bob@example.net"),
                SmtpUpstreamFixture.MESSAGE, clock.instant());
        return id;
    }

    private void otherNodeTriesToLease() {
        otherNodeGotAMessage.add(queue.lease(OTHER_NODE, clock.instant(), LEASE).isPresent());
    }

    @Test
    void aSlowDeliveryThatRenewsItsLeaseIsNeverTakenOverAndIsRecordedOnce() {
        AtomicReference<DeliveryService> service = new AtomicReference<>();
        service.set(service("1m", slowRelay(6, () -> {
            clock.advance(LEASE.dividedBy(3));
            service.get().renewLeases();
            otherNodeTriesToLease();
        }, Reply.fromRelay(250, "250 ok"))));
        String id = enqueue();

        assertTrue(service.get().deliverOne(OWNER));

        assertEquals(List.of(false, false, false, false, false, false), otherNodeGotAMessage,
                "two lease times passed, and the other node never got the message");
        assertTrue(queue.find(id).isEmpty(), "delivered and recorded by its owner");
        assertEquals(6, queue.renewals.get());
        service.get().renewLeases();
        assertEquals(6, queue.renewals.get(), "no renewal once the attempt has ended");
    }

    @Test
    void aLeaseTakenOverWhileRenewalsFailedIsLostAndTheAttemptRecordsNothing() {
        AtomicReference<DeliveryService> service = new AtomicReference<>();
        service.set(service("1m", slowRelay(1, () -> {
            // the store was unreachable for longer than the lease: the other node took the message
            clock.advance(LEASE.plusSeconds(1));
            otherNodeTriesToLease();
            service.get().renewLeases();
        }, Reply.fromRelay(550, "550 5.1.1 unknown"))));
        String id = enqueue();

        assertTrue(service.get().deliverOne(OWNER));

        assertEquals(List.of(true), otherNodeGotAMessage);
        QueueEntry after = queue.find(id).orElseThrow();
        assertEquals(OTHER_NODE, after.leaseOwner(), "the new owner keeps the message");
        assertEquals(List.of("bob@example.net"), after.pendingRecipients());
        assertEquals(0, after.attempts(), "the lost attempt was not recorded");
        assertFalse(queue.list().stream().anyMatch(QueueEntry::nullSender),
                "no DSN from the lost attempt: the new owner's attempt decides");
        service.get().renewLeases();
        assertEquals(1, queue.renewals.get(), "a lost lease is not renewed again");
    }

    @Test
    void aRenewalThatFailsIsTriedAgainAtTheNextPeriodAndTheLeaseIsKept() {
        AtomicReference<DeliveryService> service = new AtomicReference<>();
        queue.failingRenewals.set(1);
        service.set(service("1m", slowRelay(3, () -> {
            clock.advance(LEASE.dividedBy(3).plusSeconds(5));
            service.get().renewLeases();
            otherNodeTriesToLease();
        }, Reply.fromRelay(250, "250 ok"))));
        String id = enqueue();

        assertTrue(service.get().deliverOne(OWNER));

        assertEquals(List.of(false, false, false), otherNodeGotAMessage);
        assertEquals(3, queue.renewals.get(), "the failed renewal and two more");
        assertTrue(queue.find(id).isEmpty());
    }

    @Test
    void theRunningServiceRenewsTheLeaseOfAnAttemptInFlightOnItsOwn() throws Exception {
        CountDownLatch renewed = new CountDownLatch(1);
        CountDownLatch relayed = new CountDownLatch(1);
        AtomicReference<Instant> leaseUntilSeenByTheRelay = new AtomicReference<>();
        Instant renewedUntil = START.plus(Duration.ofHours(1)).plusSeconds(3);
        String id = enqueue();
        // only a renewal made after the relay moved the clock counts
        queue.afterRenewal = () -> {
            if (renewedUntil.equals(queue.find(id).orElseThrow().leaseUntil())) {
                renewed.countDown();
            }
        };
        DeliveryService service = service("3s", (target, sender, recipients, content) -> {
            clock.advance(Duration.ofHours(1));
            try {
                assertTrue(renewed.await(30, TimeUnit.SECONDS), "the renewal thread runs every second");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            leaseUntilSeenByTheRelay.set(queue.find(id).orElseThrow().leaseUntil());
            relayed.countDown();
            return new RelayResult(recipients.stream()
                    .map(r -> RecipientOutcome.of(r, Reply.fromRelay(250, "250 ok"))).toList(), false);
        });

        service.start();
        try {
            assertTrue(relayed.await(30, TimeUnit.SECONDS));
        } finally {
            assertTrue(service.stop(Duration.ofSeconds(30)));
        }

        assertEquals(renewedUntil, leaseUntilSeenByTheRelay.get(),
                "renewed to one lease time after the clock's now");
        assertTrue(queue.find(id).isEmpty());
    }

    @Test
    void withoutAnAttemptInFlightNothingIsRenewed() {
        DeliveryService service = service("1m", slowRelay(0, () -> { }, Reply.fromRelay(250, "250 ok")));
        String id = enqueue();
        Leased elsewhere = queue.lease(OTHER_NODE, clock.instant(), LEASE).orElseThrow();

        service.renewLeases();

        assertEquals(0, queue.renewals.get());
        assertEquals(elsewhere.entry().leaseUntil(), queue.find(id).orElseThrow().leaseUntil());
    }
}
