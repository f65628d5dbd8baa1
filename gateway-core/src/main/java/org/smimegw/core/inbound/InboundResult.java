package org.smimegw.core.inbound;

import java.util.List;
import java.util.Optional;

import org.smimegw.core.mime.RawMessage;

/**
 * The outcome of inbound processing. Immutable.
 *
 * @param message the annotated message to deliver (decrypted and unwrapped where that succeeded)
 * @param verdict the signature verdict, also written into {@code Authentication-Results}
 * @param encryption what happened about encryption, also written into {@code X-SMIME-Encryption}
 * @param keepOriginal whether the caller should keep the original for {@code reprocess}: decryption failed, or
 *     the verdict is neither {@code pass} nor {@code none}
 * @param harvestCandidate the signer certificate {@code inbound.harvest} may keep, or {@code null}
 * @param revocationNotes certificates whose revocation status could not be had ({@code revocation.check=soft})
 * @param headerNotes what was done to the header for the helpdesk: control headers stripped, Subject tags removed
 */
public record InboundResult(RawMessage message, SmimeResult verdict, EncryptionOutcome encryption,
        boolean keepOriginal, HarvestCandidate harvestCandidate, List<String> revocationNotes,
        List<String> headerNotes) {

    public InboundResult {
        revocationNotes = List.copyOf(revocationNotes);
        headerNotes = List.copyOf(headerNotes);
    }

    public Optional<HarvestCandidate> harvest() {
        return Optional.ofNullable(harvestCandidate);
    }

    /** {@code smime=<result>; <encryption outcome>}, for the audit log and the command line. */
    public String summary() {
        return "smime=" + verdict.word() + "; " + encryption.headerValue();
    }
}
