package org.smimegw.core.inbound;

import org.smimegw.core.mime.RawMessage;

/**
 * The outcome of inbound processing. Immutable.
 *
 * @param message the annotated message to deliver (decrypted and unwrapped where that succeeded)
 * @param verdict the signature verdict, also written into {@code Authentication-Results}
 * @param encryption what happened about encryption, also written into {@code X-SMIME-Encryption}
 * @param keepOriginal whether the caller should keep the original for {@code reprocess}: decryption failed, or
 *     the verdict is neither {@code pass} nor {@code none}
 */
public record InboundResult(RawMessage message, SmimeResult verdict, EncryptionOutcome encryption,
        boolean keepOriginal) {

    /** {@code smime=<result>; <encryption outcome>}, for the audit log and the command line. */
    public String summary() {
        return "smime=" + verdict.word() + "; " + encryption.headerValue();
    }
}
