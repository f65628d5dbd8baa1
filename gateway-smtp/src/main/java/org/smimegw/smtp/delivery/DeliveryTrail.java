package org.smimegw.smtp.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.queue.QueueEntry;

/**
 * The trace of a finished attempt: one audit event per outcome (delivered, deferred, bounced), with the recipients,
 * the relay and its replies, recorded in the commit that records the attempt (ADR 20), and one log line per event.
 * The lines keep the logger of {@link DeliveryService}, where operators have always found them. Thread-safe.
 */
final class DeliveryTrail {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

    private final AuditLog audit;

    /** @param audit where the events of an attempt whose lease was lost are recorded on their own */
    DeliveryTrail(AuditLog audit) {
        this.audit = audit;
    }

    static List<AuditEvent> events(QueueEntry entry, RelayTarget relay, boolean tls, AttemptPlan plan,
            String dsnId, Instant now) {
        String where = " relay=" + relay.address();
        List<AuditEvent> events = new ArrayList<>();
        if (!plan.delivered().isEmpty()) {
            events.add(event(now, entry, "delivered", "to=" + AttemptPlan.addresses(plan.delivered()) + where
                    + " reply=" + replies(plan.delivered()) + " tls=" + (tls ? "yes" : "no")));
        }
        if (!plan.deferred().isEmpty()) {
            events.add(event(now, entry, "deferred", "to=" + AttemptPlan.addresses(plan.deferred()) + where
                    + " reply=" + replies(plan.deferred()) + " next=" + plan.nextAttemptAt()));
        }
        if (!plan.failures().isEmpty()) {
            String to = plan.failures().stream().map(DeliveryStatusNotification.Failure::address)
                    .collect(Collectors.joining(","));
            String reasons = plan.failures().stream().map(DeliveryStatusNotification.Failure::explanation)
                    .distinct().collect(Collectors.joining(" | "));
            events.add(event(now, entry, "bounced", "to=" + to + where + " reply=" + reasons
                    + (dsnId != null ? " dsn=" + dsnId : "; bounced, no DSN to the null sender")));
        }
        return events;
    }

    /** The log lines of the attempt, once it is recorded (or could not be). */
    static void log(QueueEntry entry, List<AuditEvent> events) {
        for (AuditEvent event : events) {
            if (entry.nullSender() && event.decision().equals("bounced")) {
                // a bounce that bounces is dropped, as every MTA does; this line and the audit log are its only trace
                LOG.warn("{} {} {} {}", entry.id(), entry.direction().word(), event.decision(), event.detail());
            } else {
                LOG.info("{} {} {} {}", entry.id(), entry.direction().word(), event.decision(), event.detail());
            }
        }
    }

    /**
     * Records the events of an attempt that was made but could not be recorded (its lease was lost): what was sent
     * stays traceable. A failing audit log costs a warning here, never the delivery.
     */
    void recordAlone(QueueEntry entry, List<AuditEvent> events) {
        try {
            events.forEach(audit::record);
        } catch (RuntimeException e) {
            LOG.warn("message {}: cannot record the delivery in the audit log: {}", entry.id(),
                    Reply.oneLine(e.toString()));
        }
    }

    private static AuditEvent event(Instant now, QueueEntry entry, String decision, String detail) {
        return new AuditEvent(now, "delivery", entry.id(), decision, detail);
    }

    private static String replies(List<RecipientOutcome> outcomes) {
        return outcomes.stream().map(o -> o.reply().line()).distinct().collect(Collectors.joining(" | "));
    }
}
