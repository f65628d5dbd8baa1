package org.smimegw.smtp.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.smtp.monitor.MessageEvents;
import org.smimegw.smtp.monitor.MessageLog;

/**
 * What the delivery workers tell the monitoring about an attempt: its result and time, the relay's reachability, and
 * the message's final state with its one log line ({@link MessageLog}) once no recipient is pending. Thread-safe.
 */
final class DeliveryReport {
    private final MessageEvents events;

    DeliveryReport(MessageEvents events) {
        this.events = events;
    }

    /** An attempt that reached the relay (or tried to) and was planned. */
    void attempt(QueueEntry entry, RelayTarget relay, RelayResult result, AttemptPlan plan, Duration took) {
        if (!result.outcomes().isEmpty()) {
            events.relay(entry.direction(), relay.address(), reachable(result));
        }
        String outcome = !plan.deferred().isEmpty() ? "deferred" : !plan.failures().isEmpty() ? "bounced" : "delivered";
        events.attempt(entry.direction(), outcome, took);
        count(entry, "delivered", plan.delivered().size());
        count(entry, "deferred", plan.deferred().size());
        count(entry, "bounced", plan.failures().size());
    }

    /** An attempt that ended with an exception. */
    void failed(QueueEntry entry, Duration took) {
        events.attempt(entry.direction(), "failed", took);
    }

    /**
     * After the attempt was recorded: when no recipient is pending any more, the message has reached its final state
     * ({@code delivered}, {@code bounced}, or {@code partial} when some of each).
     */
    void recorded(QueueEntry entry, AttemptPlan plan) {
        Map<String, RecipientStatus.State> states = new HashMap<>();
        entry.recipients().forEach(r -> states.putIfAbsent(r.address(), r.state()));
        plan.statuses().forEach(s -> states.put(s.address(), s.state()));
        long pending = states.values().stream().filter(s -> s == RecipientStatus.State.PENDING).count();
        if (pending > 0) {
            return;
        }
        long delivered = states.values().stream().filter(s -> s == RecipientStatus.State.DELIVERED).count();
        long bounced = states.size() - delivered;
        String result = bounced == 0 ? "delivered" : delivered == 0 ? "bounced" : "partial";
        events.finished(entry.direction(), result);
        MessageLog.done(entry.id(), entry.direction(), entry.verdicts(), result, "delivered", delivered, "bounced",
                bounced, "attempts", entry.attempts() + 1, "size", entry.size(), "dsn", entry.nullSender() ? "yes" : "no");
    }

    /** A poison message held instead of tried again. */
    void held(QueueEntry entry) {
        events.finished(entry.direction(), "held");
        MessageLog.done(entry.id(), entry.direction(), entry.verdicts(), "held", "recipients",
                entry.recipients().size(), "attempts", entry.attempts(), "size", entry.size());
    }

    private void count(QueueEntry entry, String result, int count) {
        if (count > 0) {
            events.recipients(entry.direction(), result, count);
        }
    }

    /**
     * The relay is reachable when some recipient got an SMTP reply other than 421 from it; no reply at all (no
     * connection, a timeout, TLS failing) or 421 (the relay is closing) counts as unreachable.
     */
    static boolean reachable(RelayResult result) {
        List<RecipientOutcome> outcomes = result.outcomes();
        return outcomes.stream().anyMatch(o -> o.reply().fromRelay() && o.reply().code() != 421);
    }
}
