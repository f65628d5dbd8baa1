package org.smimegw.core.inbound;

import java.util.Locale;

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
        return message.withoutHeaders(this::spoofed);
    }

    boolean spoofed(HeaderField field) {
        if (field.name().toLowerCase(Locale.ROOT).startsWith("x-smime-")) {
            return true;
        }
        return field.is("Authentication-Results") && authservId.equalsIgnoreCase(authservIdOf(field.value()));
    }

    /**
     * The token before the first {@code ;}, trimmed. RFC 8601 allows a comment and a version after the id
     * ({@code host (c) 1;}), so those are dropped too: otherwise such a spoofed header would survive.
     */
    static String authservIdOf(String value) {
        int semicolon = value.indexOf(';');
        String head = semicolon < 0 ? value : value.substring(0, semicolon);
        String withoutComments = head.replaceAll("\\([^)]*\\)", " ").trim();
        int space = indexOfWhitespace(withoutComments);
        return space < 0 ? withoutComments : withoutComments.substring(0, space);
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
