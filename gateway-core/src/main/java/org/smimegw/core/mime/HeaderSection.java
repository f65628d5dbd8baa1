package org.smimegw.core.mime;

/**
 * The one reading of a header section (RFC 5322 §2.2) at the start of some bytes, for everything that parses,
 * measures or returns one: a line ends at CRLF, bare LF or bare CR (as {@link LineEndings} reads them) or at the
 * end of the bytes; a line starting with SP or HT continues the field before it, unless no field came before; the
 * first empty line ends the section. Reads in place, keeps nothing. Stateless and thread-safe.
 */
public final class HeaderSection {
    private HeaderSection() {
    }

    /** Receives the lines of a header section, in order. */
    @FunctionalInterface
    public interface Lines {
        /**
         * @param start the offset of the line's first byte
         * @param end the offset after its last byte (its line end excluded)
         * @param startsField whether it starts a field; otherwise it continues the one before
         * @return false to stop reading
         */
        boolean line(int start, int end, boolean startsField);
    }

    /**
     * Where a header section ends.
     *
     * @param emptyLine the offset of the empty line that ends it, which is where its last field's line end ends
     * @param body the offset after that empty line and its line end
     */
    public record End(int emptyLine, int body) {
    }

    /**
     * Reads the lines of the header section at the start of {@code bytes} that start before {@code limit}.
     *
     * @return where it ends; when there is no empty line before {@code limit}, both offsets are
     *         {@code min(limit, length)} (a section cut there, or one without a body); when {@code lines} stopped,
     *         both are the start of the line it stopped at
     */
    public static End scan(Bytes bytes, int limit, Lines lines) {
        int stop = Math.min(limit, bytes.length());
        boolean anyField = false;
        int pos = 0;
        while (pos < stop) {
            int end = lineEnd(bytes, pos);
            int next = afterLineEnd(bytes, end);
            if (end == pos) {
                return new End(pos, next);
            }
            boolean startsField = !anyField || !continues(bytes.get(pos));
            anyField = true;
            if (!lines.line(pos, end, startsField)) {
                return new End(pos, pos);
            }
            pos = next;
        }
        return new End(stop, stop);
    }

    /** Whether a line starting with this character continues the field before it (RFC 5322 §2.2.3 folding). */
    public static boolean continues(int firstChar) {
        return firstChar == ' ' || firstChar == '\t';
    }

    /** The offset of the CR or LF that ends the line starting at {@code pos}, or the length. */
    private static int lineEnd(Bytes bytes, int pos) {
        int length = bytes.length();
        int i = pos;
        while (i < length) {
            byte b = bytes.get(i);
            if (b == '\r' || b == '\n') {
                return i;
            }
            i++;
        }
        return length;
    }

    /** The offset after the line end at {@code end}: CRLF, LF or CR. */
    private static int afterLineEnd(Bytes bytes, int end) {
        if (end >= bytes.length()) {
            return end;
        }
        if (bytes.get(end) == '\r' && end + 1 < bytes.length() && bytes.get(end + 1) == '\n') {
            return end + 2;
        }
        return end + 1;
    }
}
