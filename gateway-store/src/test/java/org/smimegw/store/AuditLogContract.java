package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.testing.TestPki;

/** What every {@link AuditLog} of a store promises. */
public interface AuditLogContract extends AuditSearchContract {

    @Test
    default void recentReturnsNewestFirst() {
        AuditEvent first = event(0, "cert.import", "imported");
        AuditEvent second = event(1, "key.import", "imported");
        AuditEvent third = event(2, "outbound", "signed+encrypted");
        auditLog().record(first);
        auditLog().record(second);
        auditLog().record(third);

        assertEquals(List.of(third, second, first), auditLog().recent(10));
    }

    @Test
    default void concurrentRecordsAreEachWrittenOnceAndInTheirCallersOrder() throws Exception {
        int threads = 8;
        int perThread = 25;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String subject = "thread-" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        auditLog().record(new AuditEvent(Instant.parse("2026-01-01T00:00:00Z"), "queue", subject,
                                "queued", Integer.toString(i)));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> future : done) {
                future.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<AuditEvent> recent = auditLog().recent(threads * perThread + 10);
        assertEquals(threads * perThread, recent.size());
        for (int t = 0; t < threads; t++) {
            String subject = "thread-" + t;
            List<String> details = recent.stream().filter(e -> e.subject().equals(subject)).map(AuditEvent::detail)
                    .toList();
            List<String> expected = new java.util.ArrayList<>();
            for (int i = perThread - 1; i >= 0; i--) {
                expected.add(Integer.toString(i));
            }
            assertEquals(expected, details, "newest first, each event once, for " + subject);
        }
    }

    @Test
    default void recentReturnsAtMostTheLimit() {
        for (int i = 0; i < 5; i++) {
            auditLog().record(event(i, "inbound", "pass"));
        }

        List<AuditEvent> recent = auditLog().recent(2);

        assertEquals(List.of(event(4, "inbound", "pass"), event(3, "inbound", "pass")), recent);
        assertEquals(List.of(), auditLog().recent(0));
    }

    @Test
    default void recordingOrderDecidesWhenTimestampsAreEqual() {
        Instant at = TestPki.NOW;
        AuditEvent a = new AuditEvent(at, "cert.delete", "aa", "deleted", "first");
        AuditEvent b = new AuditEvent(at, "cert.delete", "bb", "deleted", "second");
        auditLog().record(a);
        auditLog().record(b);

        assertEquals(List.of(b, a), auditLog().recent(2));
    }

    @Test
    default void optionalFieldsMayBeAbsent() {
        AuditEvent sparse = new AuditEvent(TestPki.NOW, "outbound", null, null, null);

        auditLog().record(sparse);

        assertEquals(List.of(sparse), auditLog().recent(1));
    }

    @Test
    default void keepsLongDetailAndUnicodeIntact() {
        String detail = "recipients: " + "zoë@exämple.org, ".repeat(500);
        AuditEvent event = new AuditEvent(TestPki.NOW, "outbound", "<id@example.org>", "refused", detail);

        auditLog().record(event);

        assertEquals(event, auditLog().recent(1).get(0));
    }

    @Test
    default void clipsAnOversizedDecisionAndSubjectInsteadOfLosingTheEvent() {
        String subject = "<" + "x".repeat(200_000) + "@example.org>";
        auditLog().record(new AuditEvent(TestPki.NOW, "inbound", subject, "d".repeat(100), "detail"));

        AuditEvent stored = auditLog().recent(1).get(0);
        assertEquals(64, stored.decision().length());
        assertEquals(100_000, stored.subject().length());
        assertTrue(stored.subject().endsWith("\u2026"));
        assertEquals("detail", stored.detail());
    }

    @Test
    default void negativeLimitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> auditLog().recent(-1));
    }

    private static AuditEvent event(int minute, String action, String decision) {
        return new AuditEvent(TestPki.NOW.plus(Duration.ofMinutes(minute)), action, "subject-" + minute, decision,
                "detail " + minute);
    }
}
