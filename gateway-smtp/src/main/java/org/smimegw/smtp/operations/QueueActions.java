package org.smimegw.smtp.operations;

import java.time.Clock;
import java.time.Instant;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.StoreFailure;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.QueueState;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.delivery.Reply;
import org.smimegw.smtp.server.SmtpRefusal;

/**
 * The operator's actions on one queued message: retry, hold, release (which processes an unprocessed message
 * again) and delete. {@code queue retry|hold|release|delete} and the admin page both call these, so the refusals,
 * the result lines and the audit events are the same. Each returns the line to show, e.g. {@code held <id>}, or
 * throws {@link OperationRefused}. Thread-safe.
 */
public final class QueueActions {
    private final Gateway gateway;
    private final Clock clock;
    private final Runnable queued;

    /** {@code queued} runs after a message became due (to wake the delivery workers; a no-op for a command). */
    public QueueActions(Gateway gateway, Clock clock, Runnable queued) {
        this.gateway = gateway;
        this.clock = clock;
        this.queued = queued;
    }

    /** The entry an id names; a malformed id is not looked up. */
    public QueueEntry find(String id) {
        if (!QueueIds.looksValid(id)) {
            throw new OperationRefused("'" + id + "' is not a queue id (16 characters, as in 'queued as <id>')");
        }
        return gateway.queue().find(id).orElseThrow(() -> gone(id));
    }

    /** Makes a queued message due now. */
    public String retry(String id) {
        QueueEntry entry = find(id);
        if (entry.state() != QueueState.QUEUED) {
            throw new OperationRefused("message " + id + " is " + entry.state().word() + "; 'queue release " + id
                    + "' " + (entry.state() == QueueState.HELD ? "delivers" : "processes") + " it");
        }
        if (!gateway.queue().retry(id, clock.instant())) {
            throw gone(id);
        }
        return done("retry", entry, "retrying");
    }

    /** Keeps a message undelivered until released. */
    public String hold(String id) {
        QueueEntry entry = find(id);
        if (entry.state() == QueueState.UNPROCESSED) {
            throw new OperationRefused("message " + id + " is unprocessed: it is never delivered as it is");
        }
        if (!gateway.queue().hold(id)) {
            throw gone(id);
        }
        return done("hold", entry, "held");
    }

    /** Delivers a held message again from now; processes an unprocessed one again and queues the result. */
    public String release(String id) {
        QueueEntry entry = find(id);
        Instant now = clock.instant();
        if (entry.state() == QueueState.UNPROCESSED) {
            String processedAs = processAgain(entry, now);
            audit("release", entry, "processed as " + processedAs);
            queued.run();
            return "processed " + id + ", queued as " + processedAs;
        }
        if (entry.state() != QueueState.HELD || !gateway.queue().release(id, now)) {
            throw new OperationRefused("message " + id + " is not held");
        }
        return done("release", entry, "released");
    }

    /** Removes a message without delivering it. */
    public String delete(String id) {
        QueueEntry entry = find(id);
        if (!gateway.queue().delete(id)) {
            throw gone(id);
        }
        audit("delete", entry, "deleted");
        return "deleted " + id;
    }

    private String done(String action, QueueEntry entry, String decision) {
        audit(action, entry, decision);
        queued.run();
        return decision + " " + entry.id();
    }

    /** The kept message stays as it is when processing fails or is refused again. */
    private String processAgain(QueueEntry entry, Instant now) {
        String id = entry.id();
        Bytes content = gateway.queue().content(id).orElseThrow(() -> gone(id));
        String stays = "; it stays unprocessed ('queue delete " + id + "' drops it)";
        try {
            return gateway.intake(() -> { }).processUnprocessed(entry, content, now);
        } catch (SmtpRefusal refusal) {
            throw new OperationRefused("message " + id + " is refused: " + refusal.reply() + stays);
        } catch (RuntimeException | StackOverflowError e) {
            if (StoreFailure.in(e)) {
                throw e;
            }
            throw new OperationRefused("processing message " + id + " failed again: " + Reply.oneLine(e.toString())
                    + stays);
        }
    }

    /** Operator actions on the queue are audited like certificate changes. */
    private void audit(String action, QueueEntry e, String decision) {
        gateway.audit().record(new AuditEvent(clock.instant(), "queue." + action, e.id(), decision,
                e.direction().word() + " from=" + (e.nullSender() ? "<>" : e.sender()) + " pending="
                        + String.join(",", e.pendingRecipients())));
    }

    private static OperationRefused gone(String id) {
        return new OperationRefused("no message " + id + " in the queue");
    }
}
