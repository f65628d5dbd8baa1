package org.smimegw.core.queue;

import java.time.Instant;
import java.util.List;

/**
 * What the queue knows about one message, without its content.
 *
 * @param id the queue id, as answered in {@code 250 2.0.0 queued as <id>}
 * @param sender the envelope sender; empty for the null sender (a bounce)
 * @param recipients every envelope recipient with its delivery state, in RCPT order
 * @param receivedAt when the message was queued; {@code delivery.max.age} counts from here
 * @param nextAttemptAt when a worker may next try it
 * @param attempts delivery attempts finished so far
 * @param lastResult a one-line summary of the last attempt, or null before the first
 * @param size the content length in bytes
 * @param leaseOwner the worker delivering it now, or null
 * @param leaseUntil when that lease ends, or null
 * @param unfinishedAttempts leases taken since the last attempt was recorded, this one included: more than one means
 *                           earlier attempts ended without a result (the process died, or the worker failed)
 * @param verdicts what processing decided, as space-separated {@code key=value} words ({@code smime=pass
 *                 encryption=decrypted} inbound, {@code signed=yes encrypted=no} outbound) for the log line written
 *                 when the message reaches its final state; null for a delivery status notification, a message kept
 *                 unprocessed, or one queued before the column existed
 */
public record QueueEntry(
        String id,
        Direction direction,
        QueueState state,
        String sender,
        List<RecipientStatus> recipients,
        Instant receivedAt,
        Instant nextAttemptAt,
        int attempts,
        String lastResult,
        long size,
        String leaseOwner,
        Instant leaseUntil,
        int unfinishedAttempts,
        String verdicts) {

    public QueueEntry {
        recipients = List.copyOf(recipients);
    }

    /** The recipients not yet delivered nor failed. */
    public List<String> pendingRecipients() {
        return recipients.stream().filter(r -> r.state() == RecipientStatus.State.PENDING)
                .map(RecipientStatus::address).toList();
    }

    /** True for a delivery status notification (or any message with the null sender). */
    public boolean nullSender() {
        return sender.isEmpty();
    }
}
