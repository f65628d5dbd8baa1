package org.smimegw.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.mime.Spool;
import org.smimegw.core.outbound.OutboundResult;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.smime.Envelope;
import org.smimegw.smtp.server.Arrival;
import org.smimegw.smtp.server.ArrivalHandler;
import org.smimegw.smtp.server.SmtpRefusal;

/**
 * Where a received message becomes a queued one: it runs the message through the pipeline of its direction,
 * prepends the listener's {@code Received} header, commits the result to the queue and audits it. Only when this
 * returns does the listener answer {@code 250 2.0.0 queued as <id>} (DESIGN.md §3). An outbound refusal becomes
 * the reply {@link OutboundReplies} gives and nothing is queued. {@code reprocess} goes through here as well. Thread-safe.
 */
public final class QueueIntake implements ArrivalHandler {
    private final MessageProcessor processor;
    private final MessageQueue queue;
    private final AuditLog audit;
    private final Runnable queued;

    /** @param queued called after each commit, to wake the delivery workers */
    public QueueIntake(MessageProcessor processor, MessageQueue queue, AuditLog audit, Runnable queued) {
        this.processor = processor;
        this.queue = queue;
        this.audit = audit;
        this.queued = queued;
    }

    @Override
    public void handle(Arrival arrival) throws SmtpRefusal {
        Envelope envelope = new Envelope(arrival.sender(), arrival.recipients());
        RawMessage result;
        if (arrival.direction() == Direction.OUTBOUND) {
            OutboundResult outcome = processor.outbound(arrival.content(), envelope,
                    arrival.receivedAt());
            if (outcome instanceof OutboundResult.Refused refused) {
                throw OutboundReplies.refusal(refused);
            }
            result = ((OutboundResult.Relay) outcome).message();
        } else {
            result = processor.inbound(arrival.content(), envelope, arrival.receivedAt()).result().message();
        }
        enqueue(arrival.id(), arrival.direction(), envelope, arrival.receivedHeader(), result,
                arrival.receivedAt());
    }

    /** What {@code reprocess} did: the new verdict and the queue id of the annotated copy. */
    public record Reprocessed(String verdict, String queueId) {
    }

    /**
     * Runs a kept inbound original through the inbound pipeline again (a key or certificate may have been added
     * since) and queues the newly annotated copy for the helpdesk.
     */
    public Reprocessed reprocess(OriginalArchive.KeptOriginal original, Instant now) {
        Envelope envelope = new Envelope(original.sender() == null ? "" : original.sender(), original.recipients());
        MessageProcessor.Inbound inbound = processor.inbound(original.message(), envelope, now);
        String id = QueueIds.next(now);
        enqueue(id, Direction.INBOUND, envelope, "", inbound.result().message(), now);
        return new Reprocessed(inbound.result().verdict().word(), id);
    }

    private void enqueue(String id, Direction direction, Envelope envelope, String receivedHeader,
            RawMessage message, Instant at) {
        Bytes content;
        try {
            content = Spool.write(out -> {
                out.write(receivedHeader.getBytes(StandardCharsets.US_ASCII));
                message.writeTo(out);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool message " + id + ": " + e.getMessage(), e);
        }
        List<String> recipients = envelope.recipients();
        queue.enqueue(id, direction, envelope.sender(), recipients, content, at);
        audit.record(new AuditEvent(at, "queue", id, "queued", direction.word() + " from="
                + (envelope.sender().isEmpty() ? "<>" : envelope.sender()) + " to=" + String.join(",", recipients)
                + " size=" + content.length()));
        queued.run();
    }
}
