package org.smimegw.core.outbound;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.mime.RawMessage;

/**
 * Reads the helpdesk's control headers {@code X-SMIME-Sign} and {@code X-SMIME-Encrypt} (docs/design.md §6.1):
 * {@code yes} makes the operation required for this message, {@code no} switches it off, absence leaves the
 * configured default. The caller removes the headers whatever they say.
 */
final class ControlHeaders {
    static final String SIGN = "X-SMIME-Sign";
    static final String ENCRYPT = "X-SMIME-Encrypt";

    private ControlHeaders() {
    }

    /** The effective mode, or null when the header holds something other than one yes/no (see {@link #problem}). */
    static PolicyMode mode(RawMessage message, String header, PolicyMode configured) {
        List<String> values = message.headerValues(header).stream()
                .map(v -> v.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        if (values.isEmpty()) {
            return configured;
        }
        if (values.size() > 1) {
            return null;
        }
        return switch (values.get(0)) {
            case "yes" -> PolicyMode.REQUIRED;
            case "no" -> PolicyMode.NEVER;
            default -> null;
        };
    }

    /**
     * The per-message override the header makes ({@code yes}: required, {@code no}: never), named after it; empty when
     * it is absent or invalid (then {@link #problem} says why).
     */
    static Optional<OutboundPolicy.Decision> override(RawMessage message, String header) {
        PolicyMode mode = mode(message, header, null);
        if (mode == null) {
            return Optional.empty();
        }
        String word = mode == PolicyMode.REQUIRED ? "yes" : "no";
        return Optional.of(new OutboundPolicy.Decision(mode, header + ": " + word));
    }

    static String problem(RawMessage message, String header) {
        return header + " must be yes or no, not " + String.join(" and ", message.headerValues(header).stream()
                .map(v -> "\"" + v + "\"").toList());
    }

    static boolean isControlHeader(String name) {
        return SIGN.equalsIgnoreCase(name) || ENCRYPT.equalsIgnoreCase(name);
    }
}
