package org.smimegw.smtp.delivery;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.queue.QueueEntry;

/**
 * The trace of a recorded attempt: one log line and one audit event per outcome (delivered, deferred, bounced), with
 * the recipients, the relay and its replies. A failing audit log costs a warning, never the delivery. The lines keep
 * the logger of {@link DeliveryService}, where operators have always found them. Thread-safe.
 */
final class DeliveryTrail {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

    private final AuditLog audit;

    DeliveryTrail(AuditLog audit) {
        this.audit = audit;
    }

    void record(QueueEntry entry, RelayTarget relay, boolean tls, AttemptPlan plan, String dsnId,
            Instant now) {
        String where = " relay=" + relay.address();
        try {
            if (!plan.delivered().isEmpty()) {
                event(now, entry, "delivered", "to=" + AttemptPlan.addresses(plan.delivered()) + where
                        + " reply=" + replies(plan.delivered()) + " tls=" + (tls ? "yes" : "no"));
            }
            if (!plan.deferred().isEmpty()) {
                event(now, entry, "deferred", "to=" + AttemptPlan.addresses(plan.deferred()) + where
                        + " reply=" + replies(plan.deferred()) + " next=" + plan.nextAttemptAt());
            }
            if (!plan.failures().isEmpty()) {
                String to = plan.failures().stream().map(DeliveryStatusNotification.Failure::address)
                        .collect(Collectors.joining(","));
                String reasons = plan.failures().stream().map(DeliveryStatusNotification.Failure::explanation)
                        .distinct().collect(Collectors.joining(" | "));
                event(now, entry, "bounced", "to=" + to + where + " reply=" + reasons
                        + (dsnId != null ? " dsn=" + dsnId : "; bounced, no DSN to the null sender"));
            }
        } catch (RuntimeException e) {
            LOG.warn("message {}: cannot record the delivery in the audit log: {}", entry.id(),
                    Reply.oneLine(e.toString()));
        }
    }

    private void event(Instant now, QueueEntry entry, String decision, String detail) {
        if (entry.nullSender() && decision.equals("bounced")) {
            // a bounce that bounces is dropped, as every MTA does; this line and the audit log are its only trace
            LOG.warn("{} {} {} {}", entry.id(), entry.direction().word(), decision, detail);
        } else {
            LOG.info("{} {} {} {}", entry.id(), entry.direction().word(), decision, detail);
        }
        audit.record(new AuditEvent(now, "delivery", entry.id(), decision, detail));
    }

    private static String replies(List<RecipientOutcome> outcomes) {
        return outcomes.stream().map(o -> o.reply().line()).distinct().collect(Collectors.joining(" | "));
    }
}
