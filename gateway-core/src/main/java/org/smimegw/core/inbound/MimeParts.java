package org.smimegw.core.inbound;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.mail.internet.ContentType;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.LineEndings;
import org.smimegw.core.mime.RawMessage;

/** Reads what the pipeline needs from a MIME entity: its Content-Type and its decoded body. Stateless. */
final class MimeParts {
    private MimeParts() {
    }

    /** The lower-case base type ({@code type/subtype}), or {@code text/plain} as RFC 2045 defaults. */
    static String baseType(Optional<ContentType> type) {
        return type.map(t -> t.getBaseType().toLowerCase(Locale.ROOT)).orElse("text/plain");
    }

    static String parameter(Optional<ContentType> type, String name) {
        return type.map(t -> t.getParameter(name)).map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse(null);
    }

    /**
     * The body with its Content-Transfer-Encoding removed: base64 decoded block by block (the wrapping decoder
     * reads a character at a time), anything else as is. Throws IllegalArgumentException for invalid base64.
     */
    static Bytes decodedBody(RawMessage entity) {
        if (!"base64".equals(entity.transferEncoding())) {
            return entity.body();
        }
        return StrictBase64.decode(entity.body());
    }

    /** What a CMS layer holds: its MIME entity, and the header fields its sender protected (RFC 9788), or null. */
    record Inner(RawMessage entity, ProtectedHeaders protectedHeaders) {
    }

    /**
     * The MIME entity inside a CMS layer: only its Content-* fields (a sender must not smuggle message headers,
     * such as a forged verdict, in through the encrypted or signed part) and its body; and, from the same parse, the
     * fields it protects when it is an RFC 9788 payload. Content that does not begin with a header field (OpenSSL
     * encrypts bare text) is all body, which RFC 2045 reads as text/plain.
     */
    static Inner inner(Bytes content) {
        Bytes canonical = LineEndings.toCrlf(content);
        if (startsWithHeaderField(canonical)) {
            int maxFields = MessageLimits.DEFAULTS.headerFields();
            RawMessage parsed = RawMessage.parse(canonical, maxFields);
            // over the limit, every field stays, so that the pipeline's limit check counts them and the message
            // is delivered as received; the fields beyond it are one lump, not an object each
            RawMessage entity = parsed.headers().size() > maxFields ? parsed : parsed.entity();
            return new Inner(entity, ProtectedHeaders.of(parsed).orElse(null));
        }
        if (canonical.length() >= 2 && canonical.get(0) == '\r' && canonical.get(1) == '\n') {
            return new Inner(RawMessage.of(List.of(), canonical.slice(2)), null);
        }
        return new Inner(RawMessage.of(List.of(), canonical), null);
    }

    /** Whether the first line is "name:" with a field name of printable ASCII (RFC 5322 ftext). */
    private static boolean startsWithHeaderField(Bytes bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            byte b = bytes.get(i);
            if (b == ':') {
                return i > 0;
            }
            if (b < 33 || b > 126) {
                return false;
            }
        }
        return false;
    }
}
