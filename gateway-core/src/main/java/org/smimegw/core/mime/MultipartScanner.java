package org.smimegw.core.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the body parts of a canonical (CRLF) multipart body (RFC 2046 §5.1.1) without copying it: the one
 * delimiter finder, for the limit check, the 7bit encoder and the multipart/signed split alike, so they cannot
 * disagree about where a part ends. A delimiter line starts the body or follows a CRLF and is "--boundary" followed
 * by "--" (the close delimiter, whatever follows on its line) or by transport padding (SP, HT) up to its CRLF or
 * the end of the body; anything else is not a delimiter. The CRLF before a delimiter line belongs to the
 * delimiter, not to the part. Every delimiter that is not the close one opens a part, even an empty one; the
 * last part ends at the close delimiter or, without one, at the end of the body. Stateless and thread-safe.
 */
public final class MultipartScanner {
    /** What a line is: {@link #delimiterKind}. */
    private static final int NOT_A_DELIMITER = 0;
    private static final int OPEN = 1;
    private static final int CLOSE = 2;

    private MultipartScanner() {
    }

    /** The [start, end) ranges of each part's bytes (headers, blank line, content). */
    public static List<int[]> partRanges(Bytes body, String boundary) {
        return partRanges(body, boundary, Integer.MAX_VALUE - 1);
    }

    /**
     * As {@link #partRanges(Bytes, String)}, but stops after {@code max + 1} parts: enough to tell that a body has
     * too many, without a list of millions of ranges for a hostile one.
     */
    public static List<int[]> partRanges(Bytes body, String boundary, int max) {
        List<int[]> ranges = new ArrayList<>();
        scan(body, boundary, (start, end) -> {
            ranges.add(new int[] {start, end});
            return ranges.size() <= max;
        });
        return ranges;
    }

    /** How many parts the body has, counted without keeping their ranges. */
    public static int partCount(Bytes body, String boundary) {
        int[] count = {0};
        scan(body, boundary, (start, end) -> {
            count[0]++;
            return true;
        });
        return count[0];
    }

    /** Receives the parts in order. */
    @FunctionalInterface
    private interface Parts {
        /** @return false to stop */
        boolean part(int start, int end);
    }

    private static void scan(Bytes body, String boundary, Parts parts) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int partStart = -1;
        int lineStart = 0;
        while (true) {
            int eol = body.indexOfCrlf(lineStart);
            int lineEnd = eol < 0 ? body.length() : eol;
            int kind = delimiterKind(body, lineStart, lineEnd, delimiter);
            if (kind != NOT_A_DELIMITER) {
                if (partStart >= 0 && !parts.part(partStart, Math.max(partStart, lineStart - 2))) {
                    return;
                }
                if (kind == CLOSE) {
                    return;
                }
                partStart = eol < 0 ? body.length() : eol + 2;
            }
            if (eol < 0) {
                break;
            }
            lineStart = eol + 2;
        }
        if (partStart >= 0) {
            parts.part(partStart, body.length());
        }
    }

    private static int delimiterKind(Bytes body, int start, int end, byte[] delimiter) {
        if (end - start < delimiter.length || !body.startsWith(delimiter, start)) {
            return NOT_A_DELIMITER;
        }
        int pos = start + delimiter.length;
        if (pos + 2 <= end && body.get(pos) == '-' && body.get(pos + 1) == '-') {
            return CLOSE;
        }
        for (; pos < end; pos++) {
            if (body.get(pos) != ' ' && body.get(pos) != '\t') {
                return NOT_A_DELIMITER;
            }
        }
        return OPEN;
    }
}
