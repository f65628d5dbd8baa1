package org.smimegw.smtp.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.smtp.delivery.DeliveryStatusNotification.Failure;
import org.smimegw.smtp.delivery.RecipientOutcome.Delivered;
import org.smimegw.smtp.delivery.RecipientOutcome.Permanent;
import org.smimegw.smtp.delivery.RecipientOutcome.Temporary;

/**
 * What one attempt means for the queue: each pending recipient's new state, when to try again, and who is bounced
 * and why. A pure function of the attempt's outcomes, the retry schedule and the time.
 *
 * @param statuses the new state of every recipient that was pending
 * @param nextAttemptAt when the message is due again (only meaningful while some recipient stays pending)
 * @param delivered accepted by the relay in this attempt
 * @param deferred still pending
 * @param failures given up in this attempt: refused for good, or expired
 * @param lastResult one line for {@code queue list}
 */
record AttemptPlan(List<RecipientStatus> statuses, Instant nextAttemptAt, List<RecipientOutcome> delivered,
        List<RecipientOutcome> deferred, List<Failure> failures, String lastResult) {

    private static final int LAST_RESULT_LENGTH = 300;

    static AttemptPlan of(QueueEntry entry, RelayResult result, RelayTarget relay, RetrySchedule schedule,
            Instant now) {
        List<RecipientOutcome> delivered = new ArrayList<>();
        List<RecipientOutcome> temporary = new ArrayList<>();
        List<RecipientOutcome> permanent = new ArrayList<>();
        for (String address : entry.pendingRecipients()) {
            RecipientOutcome outcome = result.outcomes().stream().filter(o -> o.address().equals(address))
                    .findFirst()
                    .orElse(new Temporary(address, Reply.local("no outcome reported for this recipient")));
            if (outcome instanceof Delivered) {
                delivered.add(outcome);
            } else if (outcome instanceof Permanent) {
                permanent.add(outcome);
            } else {
                temporary.add(outcome);
            }
        }
        String host = relay.address().host();
        List<RecipientStatus> statuses = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        delivered.forEach(d -> statuses.add(status(d, RecipientStatus.State.DELIVERED, d.reply().line())));
        for (RecipientOutcome p : permanent) {
            statuses.add(status(p, RecipientStatus.State.FAILED, p.reply().line()));
            failures.add(new Failure(p.address(), DeliveryStatusNotification.permanentStatus(p.reply()),
                    "host " + host + " said: " + p.reply().line(), Optional.of(p.reply()), Optional.of(host)));
        }
        Instant next = now;
        List<RecipientOutcome> deferred = List.of();
        if (!temporary.isEmpty()) {
            RetrySchedule.Decision decision = schedule.next(entry.receivedAt(), entry.attempts() + 1, now);
            if (decision instanceof RetrySchedule.RetryAt retry) {
                next = retry.at();
                deferred = temporary;
                temporary.forEach(t -> statuses.add(status(t, RecipientStatus.State.PENDING, t.reply().line())));
            } else {
                for (RecipientOutcome t : temporary) {
                    String reason = schedule.expiryReason(t.reply());
                    statuses.add(status(t, RecipientStatus.State.FAILED, reason));
                    boolean relayAnswered = t.reply().fromRelay();
                    failures.add(new Failure(t.address(), "4.4.7", reason,
                            relayAnswered ? Optional.of(t.reply()) : Optional.empty(),
                            relayAnswered ? Optional.of(host) : Optional.empty()));
                }
            }
        }
        return new AttemptPlan(statuses, next, List.copyOf(delivered), deferred, failures,
                lastResult(delivered, deferred, failures, next));
    }

    private static RecipientStatus status(RecipientOutcome outcome, RecipientStatus.State state, String reply) {
        return new RecipientStatus(outcome.address(), state, Reply.oneLine(reply));
    }

    private static String lastResult(List<RecipientOutcome> delivered, List<RecipientOutcome> deferred,
            List<Failure> failures, Instant next) {
        List<String> parts = new ArrayList<>();
        if (!delivered.isEmpty()) {
            parts.add(delivered.size() + " delivered");
        }
        if (!deferred.isEmpty()) {
            parts.add(deferred.size() + " deferred until " + next + ": " + deferred.get(0).reply().line());
        }
        if (!failures.isEmpty()) {
            parts.add(failures.size() + " bounced: " + failures.get(0).explanation());
        }
        String line = String.join("; ", parts);
        return line.length() <= LAST_RESULT_LENGTH ? line : line.substring(0, LAST_RESULT_LENGTH);
    }

    /** {@code a@x,b@y} */
    static String addresses(List<RecipientOutcome> outcomes) {
        return outcomes.stream().map(RecipientOutcome::address).collect(Collectors.joining(","));
    }
}
