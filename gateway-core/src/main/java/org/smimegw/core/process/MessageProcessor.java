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
 * Runs one message through the outbound or inbound pipeline and records the decision in the audit log; inbound
 * originals that could not be decrypted or verified are kept for {@code reprocess}, and the signer certificates of
 * inbound mail are offered to the {@link Harvester}. The SMTP listeners and the {@code process} command both go through
 * here, so they decide alike. Revocation statuses that could not be had are named in the message's audit event.
 * Thread-safe when its parts are.
 */
public final class MessageProcessor {
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
     * Parses a submitted message, with the fields beyond the header-field limit kept as one (RawMessage#parse), so
     * a header section of millions of fields is refused without an object per field, then processes it.
     */
    public OutboundResult outbound(Bytes received, Envelope envelope, Instant at) {
        return outbound(RawMessage.parse(received, outbound.limits().headerFields()), envelope, at);
    }

    public OutboundResult outbound(RawMessage message, Envelope envelope, Instant at) {
        return reads.within(() -> audited(message, envelope, at));
    }

    private OutboundResult audited(RawMessage message, Envelope envelope, Instant at) {
        OutboundResult result = outbound.process(message, envelope, at);
        String subject = messageId(message);
        String recipients = "from=" + envelope.sender() + " to=" + String.join(",", envelope.recipients());
        String notes = revocationNotes(result.revocationNotes());
        if (result instanceof OutboundResult.Relay relay) {
            audit.record(new AuditEvent(at, "outbound", subject, relay.treatment(), recipients + notes));
        } else {
            audit.record(new AuditEvent(at, "outbound", subject, "refused",
                    recipients + ": " + ((OutboundResult.Refused) result).reason() + notes));
        }
        return result;
    }

    public Inbound inbound(Bytes received, Envelope envelope, Instant at) {
        return reads.within(() -> audited(received, envelope, at));
    }

    private Inbound audited(Bytes received, Envelope envelope, Instant at) {
        // fields beyond the limit stay one lump: the message is over the limit, delivered as received
        InboundResult result = inbound.process(RawMessage.parse(received, inbound.limits().headerFields()), envelope,
                at);
        String kept = null;
        if (result.keepOriginal()) {
            kept = originals.keep(envelope.sender(), envelope.recipients(), received);
        }
        String subject = messageId(result.message());
        String harvested = "";
        if (harvester != null && result.harvest().isPresent()) {
            harvested = harvester.harvest(result.harvest().get(), subject, at).map(h -> "; " + h).orElse("");
        }
        audit.record(new AuditEvent(at, "inbound", subject, "smime=" + result.verdict().word(),
                result.encryption().headerValue() + " from=" + envelope.sender() + " to="
                        + String.join(",", envelope.recipients()) + (kept == null ? "" : " original=" + kept)
                        + harvested + revocationNotes(result.revocationNotes())));
        return new Inbound(result, kept);
    }

    /** {@code ; no revocation status for ...}, one clause per certificate, or nothing. */
    private static String revocationNotes(List<String> notes) {
        return notes.isEmpty() ? "" : "; " + String.join("; ", notes);
    }

    private static String messageId(RawMessage message) {
        List<String> ids = message.headerValues("Message-ID");
        return ids.isEmpty() ? "(no Message-ID)" : ids.get(0);
    }
}
