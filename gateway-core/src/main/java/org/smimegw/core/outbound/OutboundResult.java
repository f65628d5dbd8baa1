package org.smimegw.core.outbound;

import java.util.List;

import org.smimegw.core.mime.RawMessage;

/** What the outbound pipeline made of one message: a message to relay, or a refusal. */
public sealed interface OutboundResult {

    /**
     * The message to relay.
     *
     * @param signerFingerprint fingerprint of the signing certificate, or null when not signed
     * @param recipientFingerprints fingerprints of the certificates encrypted to; empty when not encrypted
     */
    record Relay(RawMessage message, String signerFingerprint, List<String> recipientFingerprints)
            implements OutboundResult {
        public Relay {
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

    /** Nothing is sent; {@code reason} names every address concerned and why (it becomes the 550 reply text). */
    record Refused(String reason) implements OutboundResult {
    }
}
