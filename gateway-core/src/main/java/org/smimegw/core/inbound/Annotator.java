package org.smimegw.core.inbound;

import java.util.ArrayList;
import java.util.List;

import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;

/**
 * Writes the verdict headers at the top of the message (docs/design.md §6.2): {@code Authentication-Results} with the
 * RFC 7281 {@code smime} method, then {@code X-SMIME-Encryption}. Every untrusted text is cleaned and quoted,
 * and lines stay under 998 octets. Immutable and thread-safe.
 */
final class Annotator {
    private static final String FOLD = "\r\n    ";

    private final String authservId;

    Annotator(String authservId) {
        this.authservId = HeaderText.clean(authservId.trim());
    }

    /** @param headerProtection the {@code X-SMIME-Header-Protection} value, or null for none (docs/design.md §12) */
    RawMessage annotate(RawMessage message, SmimeResult result, EncryptionOutcome encryption,
            String headerProtection) {
        List<HeaderField> fields = new ArrayList<>(List.of(
                HeaderField.of("Authentication-Results", authenticationResults(result)),
                HeaderField.of("X-SMIME-Encryption", encryption.headerValue())));
        if (headerProtection != null) {
            fields.add(HeaderField.of("X-SMIME-Header-Protection", headerProtection));
        }
        return message.withHeadersFirst(fields);
    }

    /** The value, folded: result and reason, then the from/identifier line, then the serial/issuer line. */
    String authenticationResults(SmimeResult result) {
        StringBuilder value = new StringBuilder(authservId).append("; smime=").append(result.word());
        result.reason().ifPresent(reason -> value.append(" reason=").append(HeaderText.quoted(reason)));
        result.signer().ifPresent(signer -> appendSigner(value, signer));
        return value.toString();
    }

    private static void appendSigner(StringBuilder value, Signer signer) {
        List<String> identity = new ArrayList<>();
        signer.from().ifPresent(from -> identity.add("header.from=" + HeaderText.value(from)));
        signer.email().ifPresent(email -> identity.add("body.smime-identifier=" + HeaderText.value(email)));
        if (!identity.isEmpty()) {
            value.append(FOLD).append(String.join(" ", identity));
        }
        value.append(FOLD).append("body.smime-serial=").append(HeaderText.value(signer.serialHex()))
                .append(" body.smime-issuer=").append(HeaderText.quoted(signer.issuer()));
    }
}
