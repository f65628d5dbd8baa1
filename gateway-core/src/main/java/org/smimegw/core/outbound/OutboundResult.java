package org.smimegw.core.outbound;

import java.util.List;

import org.smimegw.core.mime.RawMessage;

/** What the outbound pipeline made of one message: a message to relay, or a refusal. */
public sealed interface OutboundResult {

    /** Certificates whose revocation status could not be had and were used anyway ({@code revocation.check=soft}). */
    List<String> revocationNotes();

    /**
     * The message to relay.
     *
     * @param signerFingerprint fingerprint of the signing certificate, or null when not signed
     * @param recipientFingerprints fingerprints of the certificates encrypted to; empty when not encrypted
     * @param revocationNotes see {@link OutboundResult#revocationNotes()}
     */
    record Relay(RawMessage message, String signerFingerprint, List<String> recipientFingerprints,
            List<String> revocationNotes) implements OutboundResult {
        public Relay {
            recipientFingerprints = List.copyOf(recipientFingerprints);
            revocationNotes = List.copyOf(revocationNotes);
        }

        public Relay(RawMessage message, String signerFingerprint, List<String> recipientFingerprints) {
            this(message, signerFingerprint, recipientFingerprints, List.of());
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
