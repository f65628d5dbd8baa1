package org.smimegw.core.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;

/**
 * Puts the header fields of an outgoing message into the entity that is signed or encrypted (RFC 9788, docs/design.md
 * §12), as the RFC's Appendix C examples do: every field but Content-* and MIME-Version is copied into the payload's
 * header, whose Content-Type gets {@code hp="clear"} (signed only) or {@code hp="cipher"} (encrypted). An encrypted
 * payload also lists every field left outside as {@code HP-Outer}. Under {@link HeaderProtection#OBSCURE} an encrypted
 * message's outer Subject becomes {@code [...]} and its Comments and Keywords go (RFC 9788's hcp_baseline). The
 * optional legacy display block is not written. Immutable and thread-safe.
 */
final class HeaderProtector {
    static final String OBSCURED_SUBJECT = "[...]";

    private final HeaderProtection mode;

    HeaderProtector(HeaderProtection mode) {
        this.mode = mode;
    }

    /** The message as it goes out (outer fields) and the entity to sign or encrypt. */
    record Protected(RawMessage outer, RawMessage payload) {
    }

    /**
     * @param encrypted whether the payload is encrypted (for this copy)
     */
    Protected protect(RawMessage message, boolean encrypted) {
        RawMessage entity = message.entity();
        if (mode == HeaderProtection.OFF || entity.contentType().map(t -> t.getParameter("hp") != null).orElse(false)) {
            return new Protected(message, entity);
        }
        RawMessage outer = encrypted && mode == HeaderProtection.OBSCURE ? obscured(message) : message;
        List<HeaderField> payload = new ArrayList<>();
        for (HeaderField field : message.headers()) {
            if (!structural(field)) {
                payload.add(field);
            }
        }
        if (encrypted) {
            for (HeaderField field : outer.headers()) {
                if (!structural(field)) {
                    payload.add(HeaderField.parse("HP-Outer: " + field.raw()));
                }
            }
        }
        String hp = "hp=\"" + (encrypted ? "cipher" : "clear") + "\"";
        boolean typed = false;
        for (HeaderField field : entity.headers()) {
            if (field.is("Content-Type") && !typed) {
                payload.add(HeaderField.parse(field.raw() + "; " + hp));
                typed = true;
            } else {
                payload.add(field);
            }
        }
        if (!typed) {
            payload.add(HeaderField.of("Content-Type", "text/plain; charset=us-ascii; " + hp));
        }
        return new Protected(outer, RawMessage.of(payload, entity.body()));
    }

    /** hcp_baseline: Subject {@code [...]}, Comments and Keywords removed, every other field as it is. */
    private static RawMessage obscured(RawMessage message) {
        List<HeaderField> fields = new ArrayList<>();
        for (HeaderField field : message.headers()) {
            if (field.is("Subject")) {
                fields.add(HeaderField.of(field.name(), OBSCURED_SUBJECT));
            } else if (!field.is("Comments") && !field.is("Keywords")) {
                fields.add(field);
            }
        }
        return RawMessage.of(fields, message.body());
    }

    private static boolean structural(HeaderField field) {
        return field.isContentField() || field.name().toLowerCase(Locale.ROOT).equals("mime-version");
    }
}
