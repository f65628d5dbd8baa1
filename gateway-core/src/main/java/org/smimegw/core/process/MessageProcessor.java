package org.smimegw.core.process;

import java.time.Instant;
import java.util.List;

import org.smimegw.core.inbound.Harvester;
import org.smimegw.core.inbound.InboundPipeline;
import org.smimegw.core.inbound.InboundResult;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.outbound.OutboundPipeline;
import org.smimegw.core.outbound.OutboundResult;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.port.ReadScope;
import org.smimegw.core.smime.Envelope;

/**
 * Runs one message through the outbound or inbound pipeline and makes the audit event of the decision; inbound
 * originals that could not be decrypted or verified are kept for {@code reprocess}, and the signer certificates of
 * inbound mail are offered to the {@link Harvester}. The SMTP listeners and the {@code process} command both go through
 * here, so they decide alike. Revocation statuses that could not be had are named in the message's audit event.
 * Thread-safe when its parts are.
 */
public final class MessageProcessor {
    /** The audit subject of a message without a Message-ID; the queue names it by its queue id instead. */
    public static final String NO_MESSAGE_ID = "(no Message-ID)";

    private final OutboundPipeline outbound;
    private final InboundPipeline inbound;
    private final AuditLog audit;
    private final OriginalArchive originals;
    private final Harvester harvester;
    private final ReadScope reads;

    /** Without harvesting ({@code inbound.harvest=off}), every lookup checking its cache for itself. */
    public MessageProcessor(OutboundPipeline outbound, InboundPipeline inbound, AuditLog audit,
            OriginalArchive originals) {
        this(outbound, inbound, audit, originals, null, ReadScope.EACH_LOOKUP);
    }

    /**
     * @param harvester keeps signer certificates of inbound mail; {@code null} for none
     * @param reads makes each message's lookups one unit of reading
     */
    public MessageProcessor(OutboundPipeline outbound, InboundPipeline inbound, AuditLog audit,
            OriginalArchive originals, Harvester harvester, ReadScope reads) {
        this.outbound = outbound;
        this.inbound = inbound;
        this.audit = audit;
        this.originals = originals;
        this.harvester = harvester;
        this.reads = reads;
    }

    /** The inbound result, and the id of the kept original (null when none was kept). */
    public record Inbound(InboundResult result, String keptOriginalId) {
    }

    /**
     * The outcome of processing one message and the audit event that records it, not recorded yet: the listener
     * records the event in the commit that queues the message (ADR 20), or alone when nothing is queued.
     */
    public record Decided<R>(R result, AuditEvent event) {
    }

    /** {@link #decideOutbound(Bytes, Envelope, Instant)}, with its audit event recorded. */
    public OutboundResult outbound(Bytes received, Envelope envelope, Instant at) {
        return recorded(decideOutbound(received, envelope, at));
    }

    /** {@link #decideOutbound(RawMessage, Envelope, Instant)}, with its audit event recorded. */
    public OutboundResult outbound(RawMessage message, Envelope envelope, Instant at) {
        return recorded(decideOutbound(message, envelope, at));
    }

    /** {@link #decideInbound}, with its audit event recorded. */
    public Inbound inbound(Bytes received, Envelope envelope, Instant at) {
        return recorded(decideInbound(received, envelope, at));
    }

    private <R> R recorded(Decided<R> decided) {
        audit.record(decided.event());
        return decided.result();
    }

    /**
     * Parses a submitted message, with the fields beyond the header-field limit kept as one (RawMessage#parse), so
     * a header section of millions of fields is refused without an object per field, then processes it.
     */
    public Decided<OutboundResult> decideOutbound(Bytes received, Envelope envelope, Instant at) {
        return decideOutbound(RawMessage.parse(received, outbound.limits().headerFields()), envelope, at);
    }

    public Decided<OutboundResult> decideOutbound(RawMessage message, Envelope envelope, Instant at) {
        return reads.within(() -> {
            OutboundResult result = outbound.process(message, envelope, at);
            String subject = messageId(message);
            String recipients = "from=" + envelope.sender() + " to=" + String.join(",", envelope.recipients());
            String notes = notes(result.revocationNotes());
            AuditEvent event = result instanceof OutboundResult.Relay relay
                    ? new AuditEvent(at, "outbound", subject, relay.treatment(),
                            recipients + (relay.split() ? ": " + relay.byRecipient() : "")
                                    + (relay.unencrypted().isEmpty() ? ""
                                            : "; not encrypted to " + String.join(", ", relay.unencrypted()))
                                    + notes)
                    : new AuditEvent(at, "outbound", subject, "refused",
                            recipients + ": " + ((OutboundResult.Refused) result).reason() + notes);
            return new Decided<>(result, event);
        });
    }

    /** What outbound processing would decide, line by line, without any crypto ({@code process --explain}). */
    public List<String> explainOutbound(RawMessage message, Envelope envelope, Instant at) {
        return reads.within(() -> outbound.explain(message, envelope, at));
    }

    /** Processes a received message; originals and harvested certificates are stored at once. */
    public Decided<Inbound> decideInbound(Bytes received, Envelope envelope, Instant at) {
        return reads.within(() -> {
            // fields beyond the limit stay one lump: the message is over the limit, delivered as received
            InboundResult result = inbound.process(RawMessage.parse(received, inbound.limits().headerFields()),
                    envelope, at);
            String kept = null;
            if (result.keepOriginal()) {
                kept = originals.keep(envelope.sender(), envelope.recipients(), received);
            }
            String subject = messageId(result.message());
            String harvested = "";
            if (harvester != null && result.harvest().isPresent()) {
                harvested = harvester.harvest(result.harvest().get(), subject, at).map(h -> "; " + h).orElse("");
            }
            AuditEvent event = new AuditEvent(at, "inbound", subject, "smime=" + result.verdict().word(),
                    result.encryption().headerValue() + " from=" + envelope.sender() + " to="
                            + String.join(",", envelope.recipients()) + (kept == null ? "" : " original=" + kept)
                            + harvested + notes(result.revocationNotes()) + notes(result.headerNotes()));
            return new Decided<>(new Inbound(result, kept), event);
        });
    }

    /** {@code ; <note>} for each note ({@code ; no revocation status for ...}), or nothing. */
    private static String notes(List<String> notes) {
        return notes.isEmpty() ? "" : "; " + String.join("; ", notes);
    }

    private static String messageId(RawMessage message) {
        List<String> ids = message.headerValues("Message-ID");
        return ids.isEmpty() ? NO_MESSAGE_ID : ids.get(0);
    }
}
