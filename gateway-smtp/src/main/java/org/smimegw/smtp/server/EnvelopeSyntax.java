package org.smimegw.smtp.server;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The syntax of MAIL FROM and RCPT TO: {@code KEYWORD<path> [parameters]}. The address itself must be a mailbox
 * as {@link org.smimegw.core.mime.MailboxSyntax} defines it, the same rule as for certificate addresses. Stateless.
 */
final class EnvelopeSyntax {
    private static final int MAX_PRINTED = 100;

    /** The address between the angle brackets and the parameters after them. */
    record PathArgument(String address, List<String> parameters) {
    }

    private EnvelopeSyntax() {
    }

    /**
     * @param argument what follows the verb, e.g. {@code FROM:<a@example.com> SIZE=100}
     * @param keyword {@code FROM:} or {@code TO:}
     * @return null when the argument does not have the form {@code KEYWORD<path> [parameters]}
     */
    static PathArgument parse(String argument, String keyword) {
        String text = argument.stripLeading();
        if (!text.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return null;
        }
        // RFC 5321 has no space after the colon, but many clients write one
        String rest = text.substring(keyword.length()).stripLeading();
        if (!rest.startsWith("<")) {
            return null;
        }
        int close = rest.indexOf('>');
        if (close < 0) {
            return null;
        }
        String address = rest.substring(1, close);
        String after = rest.substring(close + 1);
        if (!after.isEmpty() && after.charAt(0) != ' ') {
            return null;
        }
        String parameters = after.strip();
        return new PathArgument(address, parameters.isEmpty() ? List.of()
                : Arrays.asList(parameters.split(" +")));
    }

    /** The parameter's keyword in upper case: {@code SIZE} of {@code size=100}. */
    static String keyword(String parameter) {
        int equals = parameter.indexOf('=');
        return (equals < 0 ? parameter : parameter.substring(0, equals)).toUpperCase(Locale.ROOT);
    }

    /** The parameter's value, or null when it has none. */
    static String value(String parameter) {
        int equals = parameter.indexOf('=');
        return equals < 0 ? null : parameter.substring(equals + 1);
    }

    /** Client text made safe for a reply or log line: printable ASCII, other characters as {@code ?}, cut short. */
    static String printable(String text) {
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (safe.length() >= MAX_PRINTED) {
                safe.append("...");
                break;
            }
            char c = text.charAt(i);
            safe.append(c > 0x20 && c < 0x7f ? c : '?');
        }
        return safe.toString();
    }
}
