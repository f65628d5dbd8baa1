package org.smimegw.core.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One header field exactly as received: {@code raw} holds "Name: value" with any folding, without the final
 * CRLF, as ISO-8859-1 characters so that every byte survives unchanged (8-bit headers included).
 */
public record HeaderField(String name, String raw) {

    /** Builds a field from a name and an already folded value. */
    public static HeaderField of(String name, String value) {
        return new HeaderField(name, name + ": " + value);
    }

    /** Parses the raw text of one field; the name is what precedes the first colon. */
    public static HeaderField parse(String raw) {
        int colon = raw.indexOf(':');
        String name = colon < 0 ? raw.trim() : raw.substring(0, colon).trim();
        return new HeaderField(name, raw);
    }

    /** The value unfolded (CRLF + whitespace joined) and trimmed. */
    public String value() {
        int colon = raw.indexOf(':');
        String value = colon < 0 ? "" : raw.substring(colon + 1);
        return value.replace("\r\n", "").replace("\n", "").trim();
    }

    /** The {@link #value()} with its 8-bit octets read as UTF-8 (RFC 6532); empty when they are not UTF-8. */
    public Optional<String> utf8Value() {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(value().getBytes(StandardCharsets.ISO_8859_1))).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * How many fields this holds: 1, or more for the fields beyond the limit that {@link RawMessage#parse(Bytes,
     * int)} keeps together (a CRLF not followed by whitespace starts the next one).
     */
    public int fieldCount() {
        int count = 1;
        for (int at = nextFieldStart(raw, 0); at >= 0; at = nextFieldStart(raw, at)) {
            count++;
        }
        return count;
    }

    /**
     * Where the next field starts in {@code raw} after {@code from} (after a CRLF not followed by what
     * {@link HeaderSection#continues} a field), or -1.
     */
    private static int nextFieldStart(String raw, int from) {
        for (int crlf = raw.indexOf("\r\n", from); crlf >= 0; crlf = raw.indexOf("\r\n", crlf + 2)) {
            if (crlf + 2 < raw.length() && !HeaderSection.continues(raw.charAt(crlf + 2))) {
                return crlf + 2;
            }
        }
        return -1;
    }

    /**
     * Hands the raw text of each field this holds (see {@link #fieldCount()}) to {@code action}, in order, keeping
     * none: a lump of millions of fields is walked without an object per field.
     */
    public void forEachField(Consumer<String> action) {
        int start = 0;
        while (start < raw.length()) {
            int next = nextFieldStart(raw, start);
            action.accept(raw.substring(start, next < 0 ? raw.length() : next - 2));
            start = next < 0 ? raw.length() : next;
        }
    }

    public boolean is(String otherName) {
        return name.equalsIgnoreCase(otherName);
    }

    /** Whether this field describes the MIME entity (Content-*), rather than the message. */
    public boolean isContentField() {
        return name.toLowerCase(Locale.ROOT).startsWith("content-");
    }
}
