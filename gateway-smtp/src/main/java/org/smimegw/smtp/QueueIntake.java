package org.smimegw.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.inbound.InboundResult;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.mime.Spool;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.outbound.OutboundResult;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.port.StoreFailure;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.smime.Envelope;
import org.smimegw.smtp.delivery.Reply;
import org.smimegw.smtp.monitor.MessageEvents;
import org.smimegw.smtp.monitor.MessageLog;
import org.smimegw.smtp.monitor.Verdicts;
import org.smimegw.smtp.server.Arrival;
import org.smimegw.smtp.server.ArrivalHandler;
import org.smimegw.smtp.server.SmtpRefusal;

/**
 * Where a received message becomes a queued one: it runs the message through the pipeline of its direction,
 * prepends the listener's {@code Received} header, and commits the result to the queue together with its audit events
 * (how it was processed, that it was queued; ADR 20). Only when this returns does the listener answer
 * {@code 250 2.0.0 queued as <id>} (docs/design.md §3.1). An outbound refusal becomes the reply
 * {@link OutboundReplies} gives and nothing is queued. {@code reprocess} goes through here as well. A
 * message processing keeps crashing on is kept {@code unprocessed} (ADR 14). Thread-safe.
 */
public final class QueueIntake implements ArrivalHandler {
    private static final Logger LOG = LoggerFactory.getLogger(QueueIntake.class);
    private final MessageProcessor processor;
    private final MessageQueue queue;
    private final AuditLog audit;
    private final Runnable queued;
    private final MessageEvents events;
    private final ProcessingFailures failures = new ProcessingFailures();

    /** @param queued called after each commit, to wake the delivery workers */
    public QueueIntake(MessageProcessor processor, MessageQueue queue, AuditLog audit, Runnable queued) {
        this(processor, queue, audit, queued, MessageEvents.NONE);
    }

    /** @param events what each message's processing and intake outcome is reported to (the metrics) */
    public QueueIntake(MessageProcessor processor, MessageQueue queue, AuditLog audit, Runnable queued,
            MessageEvents events) {
        this.processor = processor;
        this.queue = queue;
        this.audit = audit;
        this.queued = queued;
        this.events = events;
    }

    @Override
    public void handle(Arrival arrival) throws SmtpRefusal {
        Envelope envelope = new Envelope(arrival.sender(), arrival.recipients());
        Direction direction = arrival.direction();
        Processed result;
        try {
            result = process(direction, arrival.content(), envelope, arrival.receivedAt());
        } catch (SmtpRefusal refusal) {
            events.intake(direction, MessageEvents.REFUSED);
            MessageLog.done(arrival.id(), direction, null, "refused", "code", refusal.code(), "recipients",
                    envelope.recipients().size(), "size", arrival.content().length());
            throw refusal;
        } catch (RuntimeException | StackOverflowError e) {
            if (infrastructure(e) || !failures.recordAndDecideToKeep(direction, arrival.content())) {
                // the listener answers 451 and logs it: the store may be back, or the crash was a fluke
                deferred(arrival, envelope);
                throw e instanceof RuntimeException r ? r : new IllegalStateException("processing failed", e);
            }
            keepUnprocessed(arrival, envelope, e);
            return;
        }
        try {
            enqueue(arrival.id(), direction, envelope, arrival.receivedHeader(), result, arrival.receivedAt());
        } catch (RuntimeException e) {
            deferred(arrival, envelope);
            throw e;
        }
        events.intake(direction, MessageEvents.QUEUED);
    }

    /** The listener answers 451 to what is thrown here: the client keeps the message and tries again. */
    private void deferred(Arrival arrival, Envelope envelope) {
        events.intake(arrival.direction(), MessageEvents.DEFERRED);
        MessageLog.done(arrival.id(), arrival.direction(), null, "refused", "code", 451, "recipients",
                envelope.recipients().size(), "size", arrival.content().length());
    }

    /**
     * The messages to queue (one, or the copies of a message split by policy), the verdicts that go with each, and
     * how they are counted once queued (a message answered 451 afterwards is not counted).
     */
    private record Processed(List<Output> outputs, Consumer<MessageEvents> counted, AuditEvent processing) {

        static Processed of(OutboundResult.Relay relay, AuditEvent processing) {
            return new Processed(relay.copies().stream().map(copy -> new Output(copy.message(), copy.recipients(),
                    Verdicts.of(copy))).toList(), events -> relay.copies().forEach(copy -> events.outboundTreatment(
                            copy.signed(), copy.encrypted())), processing);
        }

        static Processed of(MessageProcessor.Decided<MessageProcessor.Inbound> decided) {
            InboundResult inbound = decided.result().result();
            return new Processed(List.of(new Output(inbound.message(), null, Verdicts.of(inbound))),
                    events -> events.inboundVerdict(inbound.verdict().word(),
                            Verdicts.encryption(inbound.encryption())),
                    decided.event());
        }
    }

    /** One message to queue; {@code recipients} null for all of the envelope's. */
    private record Output(RawMessage message, List<String> recipients, String verdicts) {
    }

    /** A refusal's audit event is recorded here, as nothing is queued to record it with. */
    private Processed process(Direction direction, Bytes content, Envelope envelope, Instant at)
            throws SmtpRefusal {
        long start = System.nanoTime();
        try {
            if (direction == Direction.OUTBOUND) {
                MessageProcessor.Decided<OutboundResult> decided = processor.decideOutbound(content, envelope, at);
                if (decided.result() instanceof OutboundResult.Refused refused) {
                    audit.record(decided.event());
                    throw OutboundReplies.refusal(refused);
                }
                return Processed.of((OutboundResult.Relay) decided.result(), decided.event());
            }
            return Processed.of(processor.decideInbound(content, envelope, at));
        } finally {
            events.processed(direction, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** A store that cannot be reached, or a spool that cannot be written, is not the message's fault. */
    private static boolean infrastructure(Throwable e) {
        if (StoreFailure.in(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A poison message: processing crashed on it again and again. It is kept as received (with its {@code Received}
     * header) in state {@code unprocessed}, never delivered as it is, and the client gets its 250: the operator sees
     * it in {@code queue list} with the reason, and {@code queue release} processes it again once the cause is fixed.
     */
    private void keepUnprocessed(Arrival arrival, Envelope envelope, Throwable crash) {
        String reason = "processing failed " + (ProcessingFailures.TEMPORARY_REPLIES + 1) + " times: "
                + Reply.oneLine(crash.toString());
        LOG.error("{} {}: {}; kept unprocessed, 'queue release {}' processes it again", arrival.id(),
                arrival.direction().word(), reason, arrival.id(), crash);
        Bytes content = spool(arrival.id(), arrival.content().spoolArea(), out -> {
            out.write(arrival.receivedHeader().getBytes(StandardCharsets.US_ASCII));
            arrival.content().writeTo(out);
        });
        queue.enqueueUnprocessed(arrival.id(), arrival.direction(), envelope.sender(), envelope.recipients(), content,
                arrival.receivedAt(), reason);
        events.intake(arrival.direction(), MessageEvents.UNPROCESSED);
        MessageLog.done(arrival.id(), arrival.direction(), null, "unprocessed", "recipients",
                envelope.recipients().size(), "size", arrival.content().length());
        audit.record(new AuditEvent(arrival.receivedAt(), "queue", arrival.id(), "unprocessed",
                arrival.direction().word() + " from=" + sender(envelope) + " to="
                        + String.join(",", envelope.recipients()) + ": " + reason));
    }

    /**
     * Processes a message kept {@code unprocessed} again ({@code queue release}): on success the result is queued
     * under a new id and the kept message deleted; otherwise the kept message stays as it is.
     *
     * @return the new queue id
     * @throws SmtpRefusal when the outbound policy refuses the message now
     */
    public String processUnprocessed(QueueEntry entry, Bytes content, Instant now) throws SmtpRefusal {
        Envelope envelope = new Envelope(entry.sender(), entry.pendingRecipients());
        Processed result = process(entry.direction(), content, envelope, now);
        String id = QueueIds.next(now);
        // queued before the kept copy is deleted: a crash in between leaves a duplicate, never nothing
        enqueue(id, entry.direction(), envelope, "", result, now);
        queue.delete(entry.id());
        return id;
    }

    private static String sender(Envelope envelope) {
        return envelope.sender().isEmpty() ? "<>" : envelope.sender();
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
        MessageProcessor.Decided<MessageProcessor.Inbound> decided = processor.decideInbound(original.message(),
                envelope, now);
        String id = QueueIds.next(now);
        enqueue(id, Direction.INBOUND, envelope, "", Processed.of(decided), now);
        return new Reprocessed(decided.result().result().verdict().word(), id);
    }

    /**
     * Queues every output in one commit with the processing event (which names the queue ids) and a "queued" event
     * each (ADR 20); the first output takes {@code id}, which the client is told, further copies new ids.
     */
    private void enqueue(String id, Direction direction, Envelope envelope, String receivedHeader,
            Processed processed, Instant at) {
        List<MessageQueue.NewEntry> entries = new ArrayList<>();
        List<AuditEvent> recorded = new ArrayList<>();
        for (Output output : processed.outputs()) {
            String copyId = entries.isEmpty() ? id : QueueIds.next(at);
            Bytes content = spool(copyId, output.message().body().spoolArea(), out -> {
                out.write(receivedHeader.getBytes(StandardCharsets.US_ASCII));
                output.message().writeTo(out);
            });
            List<String> recipients = output.recipients() == null ? envelope.recipients() : output.recipients();
            int copies = processed.outputs().size();
            String copy = copies == 1 ? "" : " copy=" + (entries.size() + 1) + "/" + copies;
            entries.add(new MessageQueue.NewEntry(copyId, direction, envelope.sender(), recipients, content, at,
                    output.verdicts() + copy));
            recorded.add(new AuditEvent(at, "queue", copyId, "queued", direction.word() + " from=" + sender(envelope)
                    + " to=" + String.join(",", recipients) + " size=" + content.length() + " " + output.verdicts()
                    + (copies == 1 ? "" : copy + " of " + id)));
        }
        // the processing event names the queue ids, so one message's events can be found together (docs/design.md §13)
        AuditEvent processing = processed.processing();
        // messages without a Message-ID would all share one subject: each is told apart by its queue id instead
        String subject = MessageProcessor.NO_MESSAGE_ID.equals(processing.subject())
                ? "(no Message-ID, queue " + id + ")" : processing.subject();
        recorded.add(0, new AuditEvent(processing.at(), processing.action(), subject,
                processing.decision(), processing.detail() + " queue=" + String.join(",",
                        entries.stream().map(MessageQueue.NewEntry::id).toList())));
        queue.enqueueAll(entries, recorded);
        processed.counted().accept(events);
        queued.run();
    }

    /** Spooled in the area of the content it is made from (ADR 10). */
    private static Bytes spool(String id, SpoolArea area, Spool.Writer<IOException> writer) {
        try {
            return area.write(writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool message " + id + ": " + e.getMessage(), e);
        }
    }
}
