package org.smimegw.core.inbound;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.smimegw.core.helpdesk.HeaderNamePatterns;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;

/**
 * Removes every header this gateway writes, so that a sender cannot pre-set a verdict: every {@code X-SMIME-*}
 * field, and every {@code Authentication-Results} field whose authserv-id is ours. Results of other
 * authservers stay. It also removes the helpdesk's control headers ({@code inbound.strip.headers}, docs/design.md
 * §16), so that a sender cannot steer the helpdesk either, and counts them. Immutable and thread-safe.
 */
final class SpoofedHeaderFilter {
    /** How many names of removed helpdesk headers the audit note lists. */
    private static final int NAMES_SHOWN = 5;

    private final String authservId;
    private final HeaderNamePatterns helpdeskHeaders;

    SpoofedHeaderFilter(String authservId, HeaderNamePatterns helpdeskHeaders) {
        this.authservId = authservId.trim();
        this.helpdeskHeaders = helpdeskHeaders;
    }

    /** The message without the fields, and the note for the audit log when helpdesk headers were among them. */
    record Stripped(RawMessage message, Optional<String> note) {
    }

    Stripped strip(RawMessage message) {
        int[] helpdesk = {0};
        // the first few names met; a hostile message may hold millions of different ones
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        boolean[] more = {false};
        RawMessage kept = message.withFieldsEdited(field -> {
            if (spoofed(field)) {
                return null;
            }
            if (helpdeskHeaders.matches(field.name())) {
                helpdesk[0]++;
                if (names.size() < NAMES_SHOWN || names.contains(field.name())) {
                    names.add(field.name());
                } else {
                    more[0] = true;
                }
                return null;
            }
            return field;
        });
        if (helpdesk[0] == 0) {
            return new Stripped(kept, Optional.empty());
        }
        return new Stripped(kept, Optional.of("stripped " + helpdesk[0] + " helpdesk header field"
                + (helpdesk[0] == 1 ? "" : "s") + " (" + HeaderText.clean(String.join(", ", names))
                + (more[0] ? ", ..." : "") + ")"));
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
