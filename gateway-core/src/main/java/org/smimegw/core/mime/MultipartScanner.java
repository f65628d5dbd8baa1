package org.smimegw.core.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the body parts of a multipart body (RFC 2046 §5.1.1) without copying it. A delimiter line is "--boundary"
 * at a line start, followed by transport padding (or "--" for the close delimiter); the CRLF before it belongs to
 * the delimiter, not to the part. Stateless and thread-safe.
 */
public final class MultipartScanner {
    private MultipartScanner() {
    }

    /**
     * The [start, end) ranges of each part's bytes (headers, blank line, content). A body without a close
     * delimiter ends its last part at the end of the body.
     */
    public static List<int[]> partRanges(Bytes body, byte[] delimiter) {
        return partRanges(body, delimiter, Integer.MAX_VALUE - 1);
    }

    /**
     * As {@link #partRanges(Bytes, byte[])}, but stops after {@code max + 1} parts: enough to tell that a body has
     * too many, without a list of millions of ranges for a hostile one.
     */
    public static List<int[]> partRanges(Bytes body, byte[] delimiter, int max) {
        List<int[]> ranges = new ArrayList<>();
        int partStart = -1;
        int lineStart = 0;
        while (lineStart < body.length()) {
            int eol = body.indexOfCrlf(lineStart);
            int lineEnd = eol < 0 ? body.length() : eol;
            int kind = delimiterKind(body, lineStart, lineEnd, delimiter);
            if (kind != 0) {
                int delimiterStart = lineStart == 0 ? 0 : lineStart - 2;
                if (partStart >= 0 && delimiterStart >= partStart) {
                    ranges.add(new int[] {partStart, delimiterStart});
                }
                if (kind == 2 || ranges.size() > max) {
                    return ranges;
                }
                partStart = eol < 0 ? body.length() : eol + 2;
            }
            if (eol < 0) {
                break;
            }
            lineStart = eol + 2;
        }
        if (partStart >= 0 && partStart < body.length()) {
            ranges.add(new int[] {partStart, body.length()});
        }
        return ranges;
    }

    /** 0 = not a delimiter line, 1 = delimiter, 2 = close delimiter. */
    private static int delimiterKind(Bytes body, int start, int end, byte[] delimiter) {
        if (end - start < delimiter.length) {
            return 0;
        }
        if (!body.startsWith(delimiter, start)) {
            return 0;
        }
        int pos = start + delimiter.length;
        int kind = 1;
        if (pos + 2 <= end && body.get(pos) == '-' && body.get(pos + 1) == '-') {
            kind = 2;
            pos += 2;
        }
        for (; pos < end; pos++) {
            if (body.get(pos) != ' ' && body.get(pos) != '\t') {
                return kind == 2 ? 2 : 0;
            }
        }
        return kind;
    }
}
