package org.smimegw.core.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;

/**
 * Removes every header this gateway writes, so that a sender cannot pre-set a verdict: every {@code X-SMIME-*}
 * field, and every {@code Authentication-Results} field whose authserv-id is ours. Results of other
 * authservers stay. Immutable and thread-safe.
 */
final class SpoofedHeaderFilter {
    private final String authservId;

    SpoofedHeaderFilter(String authservId) {
        this.authservId = authservId.trim();
    }

    RawMessage strip(RawMessage message) {
        List<HeaderField> kept = new ArrayList<>(message.headers().size());
        for (HeaderField field : message.headers()) {
            if (field.fieldCount() > 1) {
                stripLump(field).ifPresent(kept::add);
            } else if (!spoofed(field)) {
                kept.add(field);
            }
        }
        return RawMessage.of(kept, message.body());
    }

    /**
     * A lump (the fields beyond the limit that {@code RawMessage.parse(bytes, maxFields)} keeps as one) without its
     * spoofed fields, still one field; each member is looked at once and let go.
     */
    private Optional<HeaderField> stripLump(HeaderField lump) {
        StringBuilder kept = new StringBuilder(lump.raw().length());
        lump.forEachField(member -> {
            if (!spoofed(HeaderField.parse(member))) {
                kept.append(kept.length() == 0 ? "" : "\r\n").append(member);
            }
        });
        return kept.length() == 0 ? Optional.empty() : Optional.of(HeaderField.parse(kept.toString()));
    }

    boolean spoofed(HeaderField field) {
        if (field.name().toLowerCase(Locale.ROOT).startsWith("x-smime-")) {
            return true;
        }
        return field.is("Authentication-Results") && authservId.equalsIgnoreCase(authservIdOf(field.value()));
    }

    /**
     * The authserv-id: the first value after optional comments and whitespace, a token or a quoted-string
     * (RFC 8601 {@code value}), which mean the same id, so {@code "gw.test"} is {@code gw.test}. What follows
     * (a comment, a version, the {@code ;}) does not matter. Space inside the quotes is ignored, so that no
     * lenient reader downstream can take a header we kept for ours.
     */
    static String authservIdOf(String value) {
        int start = leadingCommentsAndSpace(value);
        if (start < value.length() && value.charAt(start) == '"') {
            return quotedStringAt(value, start).trim();
        }
        int end = start;
        while (end < value.length() && !Character.isWhitespace(value.charAt(end))
                && ";(\"".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        return value.substring(start, end);
    }

    /** The index of the first character after leading whitespace and (nested) comments. */
    private static int leadingCommentsAndSpace(String value) {
        int at = 0;
        int depth = 0;
        while (at < value.length()) {
            char c = value.charAt(at);
            if (c == '\\' && depth > 0) {
                at++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && !Character.isWhitespace(c)) {
                return at;
            }
            at++;
        }
        return value.length();
    }

    /** The content of the quoted-string that starts at {@code open}, with quoted-pairs resolved. */
    private static String quotedStringAt(String value, int open) {
        StringBuilder content = new StringBuilder();
        for (int at = open + 1; at < value.length(); at++) {
            char c = value.charAt(at);
            if (c == '"') {
                break;
            }
            if (c == '\\' && at + 1 < value.length()) {
                at++;
                c = value.charAt(at);
            }
            content.append(c);
        }
        return content.toString();
    }
}
