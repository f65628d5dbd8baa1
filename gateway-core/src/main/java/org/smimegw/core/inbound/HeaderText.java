package org.smimegw.core.inbound;

import java.nio.charset.StandardCharsets;

/**
 * Turns untrusted text (reasons, distinguished names, addresses from certificates) into safe header text: no
 * control characters, so nothing a sender puts in a certificate can start a new header line. Stateless.
 */
final class HeaderText {
    /** Longest reason or name written; keeps every header line well under the 998-octet limit. */
    static final int MAX_TEXT = 400;

    private HeaderText() {
    }

    /** A quoted-string with {@code "} and {@code \} escaped. */
    static String quoted(String text) {
        String clean = clean(text);
        StringBuilder out = new StringBuilder(clean.length() + 2).append('"');
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** An RFC 8601 pvalue: bare when it is a plain address or token, quoted otherwise. */
    static String value(String text) {
        String clean = clean(text);
        if (!clean.isEmpty() && clean.chars().allMatch(HeaderText::isPlain)) {
            return clean;
        }
        // quoted() cleans the original text: cleaning the cleaned text would encode its UTF-8 a second time
        return quoted(text);
    }

    /**
     * Replaces control characters by {@code ?}, shortens to {@link #MAX_TEXT} octets of UTF-8, and returns the
     * UTF-8 bytes as ISO-8859-1 characters, which is how {@code HeaderField} carries 8-bit header text.
     */
    static String clean(String text) {
        String in = text == null ? "" : text;
        StringBuilder out = new StringBuilder(Math.min(in.length(), MAX_TEXT));
        int octets = 0;
        for (int i = 0; i < in.length(); i = in.offsetByCodePoints(i, 1)) {
            int cp = in.codePointAt(i);
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
                cp = '?';
            }
            octets += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (octets > MAX_TEXT) {
                out.append("...");
                break;
            }
            out.appendCodePoint(cp);
        }
        return new String(out.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static boolean isPlain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "@.-_+!#$%&'*/=?^`{|}~".indexOf(c) >= 0;
    }
}
