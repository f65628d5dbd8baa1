package org.smimegw.core.outbound;

import java.util.Locale;

/** How strongly the gateway wants to sign or encrypt a message (the {@code outbound.sign/encrypt} keys). */
public enum PolicyMode {
    /** Must happen; a message where it is impossible is refused. */
    REQUIRED,
    /** Happens when every certificate and key is there; otherwise the message goes without it. */
    IF_POSSIBLE,
    /** Never happens. */
    NEVER;

    /** Parses {@code required}, {@code if-possible} or {@code never}; null when the word is none of them. */
    public static PolicyMode fromWord(String word) {
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "required" -> REQUIRED;
            case "if-possible" -> IF_POSSIBLE;
            case "never" -> NEVER;
            default -> null;
        };
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
