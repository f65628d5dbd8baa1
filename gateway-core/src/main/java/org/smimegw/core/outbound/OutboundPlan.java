package org.smimegw.core.outbound;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.Selection;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.outbound.OutboundPolicy.Decision;

/**
 * What the outbound pipeline decided for one message before any crypto: whether and as whom it signs, and for each
 * recipient the mode, the rule behind it, the certificate or why there is none, and so which copy the recipient
 * gets (docs/design.md §11). {@code process --explain} prints it; {@link OutboundPipeline} carries it out.
 * Immutable.
 *
 * @param message the message as it is signed: control headers, Bcc, Subject tags and the trigger removed
 * @param from the single From address, or null
 * @param trigger the Subject trigger when the Subject held it (it was removed)
 * @param signing the signing decision
 * @param recipients one per distinct envelope recipient, in envelope order
 * @param problems why the message is refused; empty when it is relayed
 */
public record OutboundPlan(RawMessage message, String from, Optional<String> trigger, Signing signing,
        List<Recipient> recipients, List<String> problems) {

    public OutboundPlan {
        recipients = List.copyOf(recipients);
        problems = List.copyOf(problems);
    }

    /** The signing decision, and the identity found (or why none was) when signing was asked for. */
    public record Signing(Decision decision, CertificateLookup.SignerLookup lookup) {
        public boolean signs() {
            return lookup instanceof CertificateLookup.SignerLookup.Found;
        }
    }

    /** Which copy a recipient gets. */
    public enum Treatment { ENCRYPTED, NOT_ENCRYPTED, REFUSED }

    /**
     * One recipient's encryption decision.
     *
     * @param selection the certificate chosen or why none could be; null when encryption is {@code never}
     */
    public record Recipient(String address, Decision decision, Selection selection) {
        public Treatment treatment() {
            if (selection instanceof Selection.Selected) {
                return Treatment.ENCRYPTED;
            }
            return decision.mode() == PolicyMode.REQUIRED ? Treatment.REFUSED : Treatment.NOT_ENCRYPTED;
        }

        /** The certificate encrypted to, when there is one. */
        public Optional<CertificateRecord> certificate() {
            return selection instanceof Selection.Selected selected ? Optional.of(selected.certificate())
                    : Optional.empty();
        }
    }

    public boolean refused() {
        return !problems.isEmpty();
    }

    /** The addresses with this treatment, in envelope order. */
    public List<String> addresses(Treatment treatment) {
        return recipients.stream().filter(r -> r.treatment() == treatment).map(Recipient::address).toList();
    }

    /**
     * Each recipient left without encryption although its encryption was not {@code never}, with why (no
     * certificate, expired, revoked, a lookup that found nothing): {@code bob@example.com (no certificate)}.
     */
    public List<String> unencrypted() {
        return recipients.stream().filter(r -> r.treatment() == Treatment.NOT_ENCRYPTED && r.selection() != null)
                .map(r -> r.address() + " (" + ((Selection.Unavailable) r.selection()).reason() + ")").toList();
    }

    /** One line per decision, for {@code process --explain}. */
    public List<String> explanation() {
        List<String> lines = new ArrayList<>();
        trigger.ifPresent(t -> lines.add("subject trigger '" + t + "' found and removed: encryption required"));
        lines.add("sign as " + (from == null ? "(no single From address)" : from) + ": " + words(signing.decision())
                + ": " + signingOutcome());
        for (Recipient recipient : recipients) {
            lines.add("encrypt to " + recipient.address() + ": " + words(recipient.decision()) + ": "
                    + recipientOutcome(recipient));
        }
        if (refused()) {
            lines.add("refused: " + String.join("; ", problems));
        } else {
            List<String> copies = new ArrayList<>();
            String unencrypted = signing.signs() ? "signed" : "plain";
            if (!addresses(Treatment.ENCRYPTED).isEmpty()) {
                copies.add((signing.signs() ? "signed+encrypted" : "encrypted") + " to "
                        + String.join(",", addresses(Treatment.ENCRYPTED)));
            }
            if (!addresses(Treatment.NOT_ENCRYPTED).isEmpty()) {
                copies.add(unencrypted + " to " + String.join(",", addresses(Treatment.NOT_ENCRYPTED)));
            }
            lines.add((copies.size() == 1 ? "one copy: " : copies.size() + " copies: ") + String.join("; ", copies));
        }
        return lines;
    }

    private static String words(Decision decision) {
        return decision.mode().word() + " (" + decision.because() + ")";
    }

    private String signingOutcome() {
        if (signing.lookup() == null) {
            return "not signed";
        }
        if (signing.lookup() instanceof CertificateLookup.SignerLookup.Found found) {
            return "certificate " + found.fingerprint() + " (notAfter " + found.identity().certificate()
                    .getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate() + ")";
        }
        return "no identity: " + ((CertificateLookup.SignerLookup.Missing) signing.lookup()).reason()
                + (signing.decision().mode() == PolicyMode.REQUIRED ? "" : ": sent unsigned");
    }

    private static String recipientOutcome(Recipient recipient) {
        Optional<CertificateRecord> certificate = recipient.certificate();
        if (certificate.isPresent()) {
            CertificateRecord record = certificate.get();
            return "certificate " + record.fingerprint() + " (" + record.source().word() + ", notAfter "
                    + record.notAfter().atOffset(ZoneOffset.UTC).toLocalDate() + ")";
        }
        if (recipient.selection() == null) {
            return "not encrypted";
        }
        String reason = ((Selection.Unavailable) recipient.selection()).reason();
        return recipient.treatment() == Treatment.REFUSED ? reason + ": the message is refused"
                : reason + ": gets the unencrypted copy";
    }
}
