package org.smimegw.core.outbound;

import java.util.List;

import org.smimegw.core.mime.RawMessage;

/** What the outbound pipeline made of one message: the copies to relay, or a refusal. */
public sealed interface OutboundResult {

    /** Certificates whose revocation status could not be had and were used anyway ({@code revocation.check=soft}). */
    List<String> revocationNotes();

    /**
     * What to relay: one copy, or two when recipients are treated differently (docs/design.md §11): an encrypted
     * copy for the recipients encrypted to, a signed (or plain) copy for the others. Every copy carries the same
     * header fields; each is queued, delivered and audited on its own.
     *
     * @param copies one or two, encrypted first
     * @param unencrypted each recipient left without encryption although its encryption was not {@code never}, with
     *     why: {@code bob@example.com (expired on 2026-01-31)} (docs/design.md §13)
     * @param revocationNotes see {@link OutboundResult#revocationNotes()}
     */
    record Relay(List<Copy> copies, List<String> unencrypted, List<String> revocationNotes)
            implements OutboundResult {
        public Relay {
            copies = List.copyOf(copies);
            unencrypted = List.copyOf(unencrypted);
            if (copies.isEmpty()) {
                throw new IllegalArgumentException("a relayed message has at least one copy");
            }
            revocationNotes = List.copyOf(revocationNotes);
        }

        public boolean split() {
            return copies.size() > 1;
        }

        /**
         * For the audit log: the treatment of the only copy ({@code signed+encrypted}, ...), or {@code split} when
         * there are several.
         */
        public String treatment() {
            return split() ? "split" : copies.get(0).treatment();
        }

        /** Who got which treatment: {@code signed+encrypted to a@x,b@y; signed to c@z}. */
        public String byRecipient() {
            return String.join("; ", copies.stream()
                    .map(copy -> copy.treatment() + " to " + String.join(",", copy.recipients())).toList());
        }
    }

    /**
     * One message to relay and the envelope recipients it goes to.
     *
     * @param signerFingerprint fingerprint of the signing certificate, or null when not signed
     * @param recipientFingerprints fingerprints of the certificates encrypted to; empty when not encrypted
     */
    record Copy(RawMessage message, List<String> recipients, String signerFingerprint,
            List<String> recipientFingerprints) {
        public Copy {
            recipients = List.copyOf(recipients);
            recipientFingerprints = List.copyOf(recipientFingerprints);
        }

        public boolean signed() {
            return signerFingerprint != null;
        }

        public boolean encrypted() {
            return !recipientFingerprints.isEmpty();
        }

        /** {@code signed+encrypted}, {@code signed}, {@code encrypted} or {@code plain}, for logs and audit. */
        public String treatment() {
            if (signed() && encrypted()) {
                return "signed+encrypted";
            }
            return signed() ? "signed" : encrypted() ? "encrypted" : "plain";
        }
    }

    /**
     * Nothing is sent. The SMTP listener turns the cause into the reply code (gateway-smtp {@code OutboundReplies}).
     *
     * @param reason names every address concerned and why, or the limit exceeded; it becomes the reply text
     * @param cause whether the policy refused it, or the message exceeds a {@code MessageLimits} limit
     * @param revocationNotes see {@link OutboundResult#revocationNotes()}
     */
    record Refused(String reason, Cause cause, List<String> revocationNotes) implements OutboundResult {
        public Refused {
            revocationNotes = List.copyOf(revocationNotes);
        }

        public Refused(String reason, Cause cause) {
            this(reason, cause, List.of());
        }

        /** A refusal by the signing or encryption policy. */
        public Refused(String reason) {
            this(reason, Cause.POLICY);
        }
    }

    /** Why a message is refused. */
    enum Cause {
        /** Signing or encryption is required but impossible, or a control header is invalid. */
        POLICY,
        /** The message is too deep, has too many or too long header fields or lines. */
        LIMIT
    }
}
