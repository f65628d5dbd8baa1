package org.smimegw.bench.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small byte and text operations the mutators share. Messages are handled as ISO-8859-1 so every byte survives. */
final class Edits {
    private Edits() {
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code input} with {@code [from, to)} replaced by {@code insert}. */
    static byte[] replace(byte[] input, int from, int to, byte[] insert) {
        byte[] out = new byte[input.length - (to - from) + insert.length];
        System.arraycopy(input, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(input, to, out, from + insert.length, input.length - to);
        return out;
    }

    static byte[] randomBytes(SplittableRandom random, int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** A position in {@code [0, length]}, or 0 for an empty input. */
    static int position(SplittableRandom random, int length) {
        return length == 0 ? 0 : random.nextInt(length + 1);
    }

    /** The line separator the message uses: CRLF unless it has none. */
    static String eol(String message) {
        return message.contains("\r\n") || !message.contains("\n") ? "\r\n" : "\n";
    }

    /** The offset of the blank line that ends the header block starting at {@code from}, or -1. */
    static int headerEnd(String message, int from) {
        int crlf = message.indexOf("\r\n\r\n", from);
        int lf = message.indexOf("\n\n", from);
        if (crlf < 0) {
            return lf;
        }
        return lf < 0 ? crlf : Math.min(crlf, lf);
    }

    /** Where the header block ending at {@code headerEnd} stops: after its last line's line break. */
    static int headersStop(String message, int headerEnd) {
        return headerEnd + (message.startsWith("\r\n", headerEnd) ? 2 : 1);
    }

    /** Where the body starts after the blank line at {@code headerEnd} (CRLF CRLF, or LF LF in mixed input). */
    static int bodyStart(String message, int headerEnd) {
        return headerEnd + (message.startsWith("\r\n", headerEnd) ? 4 : 2);
    }

    /** Offsets of every match of {@code pattern}. */
    static List<int[]> matches(String text, Pattern pattern) {
        List<int[]> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(new int[] {matcher.start(), matcher.end()});
        }
        return found;
    }

    /** One of the matches, or {@code null} when there is none. */
    static int[] pick(SplittableRandom random, List<int[]> matches) {
        return matches.isEmpty() ? null : matches.get(random.nextInt(matches.size()));
    }

    /** The end of the header field starting at {@code start}: the end of its last continuation line (before EOL). */
    static int fieldEnd(String text, int start) {
        int at = start;
        while (true) {
            int eol = text.indexOf('\n', at);
            if (eol < 0) {
                return text.length();
            }
            if (eol + 1 < text.length() && (text.charAt(eol + 1) == ' ' || text.charAt(eol + 1) == '\t')) {
                at = eol + 1;
            } else {
                return eol > start && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
            }
        }
    }

    /** The output, or {@code null} (the mutator does not apply) when it exceeds {@link Mutator#MAX_INPUT}. */
    static byte[] capped(byte[] output) {
        return output.length > Mutator.MAX_INPUT ? null : output;
    }
}
