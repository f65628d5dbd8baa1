package org.smimegw.smtp.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.testing.InMemoryMessageQueue;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.core.testing.MutableClock;

/** What the Prometheus text says after the intake and the workers reported, and how often the store is read. */
class MonitoringTest {
    private static final Instant NOW = TestPki.NOW;
    private static final Duration DAY = Duration.ofDays(1);

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryMessageQueue queue = new InMemoryMessageQueue();
    private final OrgKeys stores = new OrgKeys();
    private final Monitoring monitoring = new Monitoring(queue, stores.certificates, stores.keys, () -> true,
            Map.of(Direction.OUTBOUND, new HostPort("127.0.0.1", 25), Direction.INBOUND,
                    new HostPort("127.0.0.1", 2525)), Duration.ofMinutes(2), 30, clock);

    @AfterEach
    void close() {
        monitoring.close();
    }

    /** The value of the one sample whose line starts with {@code series} (name and labels, as Prometheus prints). */
    private static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertTrue(m.find(), series + " missing in:\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    private String enqueue(Direction direction, Instant at) {
        String id = QueueIds.next(at);
        queue.enqueue(id, direction, "a@example.org", List.of("b@example.net"),
                Bytes.of("Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)), at);
        return id;
    }

    @Test
    void countsIntakeOutcomesVerdictsAndTreatmentsByTheirTags() {
        MessageEvents events = monitoring.events();
        events.intake(Direction.OUTBOUND, MessageEvents.QUEUED);
        events.intake(Direction.OUTBOUND, MessageEvents.QUEUED);
        events.intake(Direction.OUTBOUND, MessageEvents.REFUSED);
        events.intake(Direction.INBOUND, MessageEvents.DEFERRED);
        events.inboundVerdict("pass", "decrypted");
        events.outboundTreatment(true, false);

        String text = monitoring.scrape();

        assertEquals(2, sample(text, "smimegw_intake_messages_total{direction=\"outbound\",outcome=\"queued\"}"));
        assertEquals(1, sample(text, "smimegw_intake_messages_total{direction=\"outbound\",outcome=\"refused\"}"));
        assertEquals(1, sample(text, "smimegw_intake_messages_total{direction=\"inbound\",outcome=\"deferred\"}"));
        assertEquals(0, sample(text, "smimegw_intake_messages_total{direction=\"inbound\",outcome=\"unprocessed\"}"));
        assertEquals(1, sample(text, "smimegw_inbound_verdicts_total{encryption=\"decrypted\",smime=\"pass\"}"));
        assertEquals(1, sample(text, "smimegw_outbound_treatments_total{encrypted=\"no\",signed=\"yes\"}"));
    }

    @Test
    void timesProcessingAndDeliveryAttemptsInHistogramsAndCountsOutcomes() {
        MessageEvents events = monitoring.events();
        events.processed(Direction.INBOUND, Duration.ofMillis(30));
        events.attempt(Direction.OUTBOUND, "delivered", Duration.ofMillis(700));
        events.attempt(Direction.OUTBOUND, "deferred", Duration.ofSeconds(3));
        events.recipients(Direction.OUTBOUND, "delivered", 3);
        events.finished(Direction.OUTBOUND, "delivered");

        String text = monitoring.scrape();

        assertEquals(1, sample(text, "smimegw_processing_seconds_count{direction=\"inbound\"}"));
        assertEquals(0, sample(text, "smimegw_processing_seconds_bucket{direction=\"inbound\",le=\"0.01\"}"));
        assertEquals(1, sample(text, "smimegw_processing_seconds_bucket{direction=\"inbound\",le=\"0.05\"}"));
        assertEquals(1, sample(text,
                "smimegw_delivery_attempt_seconds_count{direction=\"outbound\",result=\"delivered\"}"));
        assertEquals(1, sample(text,
                "smimegw_delivery_attempt_seconds_bucket{direction=\"outbound\",result=\"deferred\",le=\"5.0\"}"));
        assertEquals(3, sample(text, "smimegw_delivery_recipients_total{direction=\"outbound\",result=\"delivered\"}"));
        assertEquals(1, sample(text, "smimegw_messages_finished_total{direction=\"outbound\",result=\"delivered\"}"));
        assertEquals(0, sample(text, "smimegw_messages_finished_total{direction=\"inbound\",result=\"held\"}"));
    }

    @Test
    void queueGaugesShowMessagesByStateAndTheAgeOfTheOldestQueuedOne() {
        enqueue(Direction.OUTBOUND, NOW.minusSeconds(90));
        enqueue(Direction.OUTBOUND, NOW.minusSeconds(30));
        queue.hold(enqueue(Direction.OUTBOUND, NOW.minusSeconds(500)));

        String text = monitoring.scrape();

        assertEquals(2, sample(text, "smimegw_queue_messages{direction=\"outbound\",state=\"queued\"}"));
        assertEquals(1, sample(text, "smimegw_queue_messages{direction=\"outbound\",state=\"held\"}"));
        assertEquals(0, sample(text, "smimegw_queue_messages{direction=\"inbound\",state=\"queued\"}"));
        assertEquals(90, sample(text, "smimegw_queue_oldest_age_seconds{direction=\"outbound\"}"));
        assertEquals(0, sample(text, "smimegw_queue_oldest_age_seconds{direction=\"inbound\"}"));
    }

    @Test
    void readsTheQueueAtMostOncePerCachePeriodHoweverOftenScraped() {
        monitoring.scrape();
        enqueue(Direction.INBOUND, NOW);

        String soon = monitoring.scrape();
        clock.advance(Monitoring.STORE_READS);
        String later = monitoring.scrape();

        assertEquals(0, sample(soon, "smimegw_queue_messages{direction=\"inbound\",state=\"queued\"}"));
        assertEquals(1, sample(later, "smimegw_queue_messages{direction=\"inbound\",state=\"queued\"}"));
    }

    @Test
    void showsDaysLeftPerOrgCertificateAndCountsThoseThatNeedRenewing() {
        CertificateRecord expiring = stores.org(NOW.minus(DAY.multipliedBy(300)), NOW.plus(DAY.multipliedBy(10)),
                "support@example.org");
        CertificateRecord lasting = stores.org(NOW.minus(DAY), NOW.plus(DAY.multipliedBy(200)), "sales@example.org");
        stores.contact(NOW.minus(DAY), NOW.plus(DAY), "bob@example.net");

        String text = monitoring.scrape();

        assertEquals(10, sample(text, "smimegw_org_certificate_expiry_days{email=\"support@example.org\",fingerprint=\""
                + expiring.fingerprint().substring(0, 16) + "\"}"));
        assertEquals(200, sample(text, "smimegw_org_certificate_expiry_days{email=\"sales@example.org\",fingerprint=\""
                + lasting.fingerprint().substring(0, 16) + "\"}"));
        assertFalse(text.contains("bob@example.net"), "a contact's certificate is not the organisation's");
        assertEquals(1, sample(text, "smimegw_org_certificates_expiring"));
    }

    @Test
    void aRenewedOrgCertificateStopsCountingAsExpiringAtTheNextRead() {
        stores.org(NOW.minus(DAY.multipliedBy(300)), NOW.plus(DAY.multipliedBy(10)), "support@example.org");
        assertEquals(1, sample(monitoring.scrape(), "smimegw_org_certificates_expiring"));

        stores.org(NOW.minus(DAY), NOW.plus(DAY.multipliedBy(400)), "support@example.org");
        clock.advance(Monitoring.STORE_READS);

        assertEquals(0, sample(monitoring.scrape(), "smimegw_org_certificates_expiring"));
    }

    @Test
    void reportsARelayUnreachableFromTheFirstFailedAttemptUntilOneGetsAnAnswer() {
        HostPort relay = new HostPort("127.0.0.1", 25);
        assertEquals(1, sample(monitoring.scrape(), "smimegw_upstream_reachable{relay=\"outbound\"}"));

        monitoring.events().relay(Direction.OUTBOUND, relay, false);
        assertEquals(0, sample(monitoring.scrape(), "smimegw_upstream_reachable{relay=\"outbound\"}"));
        assertEquals(1, sample(monitoring.scrape(), "smimegw_upstream_reachable{relay=\"inbound\"}"));

        monitoring.events().relay(Direction.OUTBOUND, relay, true);
        assertEquals(1, sample(monitoring.scrape(), "smimegw_upstream_reachable{relay=\"outbound\"}"));
    }
}
