package org.smimegw.core.helpdesk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Header field names to remove from inbound mail ({@code inbound.strip.headers}): a comma-separated list of names,
 * each either exact or ending in one {@code *} that stands for any rest, matched without regard to case. So
 * {@code X-Zammad-*} matches {@code x-zammad-customer-email} but not {@code X-Zammadx}. Immutable and thread-safe.
 */
public final class HeaderNamePatterns {
    /** The default: the control headers of Zammad, OTRS, Znuny and OTOBO. */
    public static final String DEFAULT = "X-Zammad-*,X-OTRS-*,X-Znuny-*,X-OTOBO-*";
    /** Matches no name. */
    public static final HeaderNamePatterns NONE = new HeaderNamePatterns(List.of(), List.of());

    private final List<String> patterns;
    /** Lower case; a pattern ending in {@code *} is kept here without it. */
    private final List<String> exact;
    private final List<String> prefixes;

    private HeaderNamePatterns(List<String> exact, List<String> prefixes) {
        this.exact = List.copyOf(exact);
        this.prefixes = List.copyOf(prefixes);
        List<String> all = new ArrayList<>(exact);
        prefixes.forEach(prefix -> all.add(prefix + "*"));
        this.patterns = List.copyOf(all);
    }

    /**
     * Parses a comma-separated list; blank entries are skipped, so an empty list matches nothing.
     *
     * @throws IllegalArgumentException naming the pattern, when one holds a character a field name cannot hold
     *     (RFC 5322 §3.6.8: printable ASCII but the colon), a {@code *} elsewhere than at its end, or only a
     *     {@code *}
     */
    public static HeaderNamePatterns parse(String list) {
        List<String> exact = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String entry : list.split(",", -1)) {
            String pattern = entry.trim();
            if (pattern.isEmpty()) {
                continue;
            }
            String name = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'" + pattern + "' would match every header field; "
                        + "name at least the start of the fields");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '*') {
                    throw new IllegalArgumentException("'" + pattern + "': * may only end a pattern");
                }
                if (c <= ' ' || c > '~' || c == ':') {
                    throw new IllegalArgumentException("'" + pattern + "' is not a header field name");
                }
            }
            (pattern.endsWith("*") ? prefixes : exact).add(name.toLowerCase(Locale.ROOT));
        }
        return new HeaderNamePatterns(exact, prefixes);
    }

    /** Whether a field of this name is to be removed. */
    public boolean matches(String fieldName) {
        if (patterns.isEmpty()) {
            return false;
        }
        String name = fieldName.toLowerCase(Locale.ROOT);
        return exact.contains(name) || prefixes.stream().anyMatch(name::startsWith);
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HeaderNamePatterns that && patterns.equals(that.patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    /** The patterns in lower case, as they are matched. */
    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
