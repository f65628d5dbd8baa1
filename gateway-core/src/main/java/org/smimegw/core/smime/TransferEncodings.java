package org.smimegw.core.smime;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * Content-Transfer-Encoding helpers at byte level: the 7bit test of RFC 5322/2045 and the two encoders used to
 * make a part 7bit-safe. Input is canonical CRLF. Stateless and thread-safe.
 */
final class TransferEncodings {
    /** RFC 5322 §2.1.1: a line may hold at most 998 octets before CRLF. */
    static final int MAX_LINE = 998;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** RFC 2045 §6.7 rule 5: encoded lines of at most 76 characters, the soft break '=' included. */
    private static final int QP_LINE = 76;

    private TransferEncodings() {
    }

    /** Whether the bytes may travel as 7bit: no octet above 127, no NUL, no line over 998 octets. */
    static boolean isSevenBitClean(byte[] data) {
        int lineLength = 0;
        for (byte b : data) {
            if (b <= 0) {
                return false;
            }
            if (b == '\n') {
                lineLength = 0;
            } else if (b != '\r' && ++lineLength > MAX_LINE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether 7bit text still risks being altered in transit (RFC 8551 §3.1.1): whitespace at the end of a line,
     * which relays strip, or a line starting with "From ", which mbox-style relays quote.
     */
    static boolean hasFragileLines(byte[] data) {
        int lineStart = 0;
        for (int i = 0; i <= data.length; i++) {
            boolean lineEnd = i == data.length || (data[i] == '\r' && i + 1 < data.length && data[i + 1] == '\n');
            if (!lineEnd) {
                continue;
            }
            if (i > lineStart && (data[i - 1] == ' ' || data[i - 1] == '\t')) {
                return true;
            }
            if (i - lineStart >= 5 && data[lineStart] == 'F' && data[lineStart + 1] == 'r'
                    && data[lineStart + 2] == 'o' && data[lineStart + 3] == 'm' && data[lineStart + 4] == ' ') {
                return true;
            }
            lineStart = i + 2;
        }
        return false;
    }

    /** Whether the bytes hold an octet above 127 and decode as UTF-8 without error. */
    static boolean isEightBitUtf8(byte[] data) {
        boolean eightBit = false;
        for (byte b : data) {
            if (b < 0) {
                eightBit = true;
                break;
            }
        }
        if (!eightBit) {
            return false;
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(data));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** Base64 in 76-character CRLF-terminated lines (the last line terminated too, unless empty). */
    static byte[] base64(byte[] data) {
        byte[] encoded = Base64.getMimeEncoder(QP_LINE, CRLF).encode(data);
        if (encoded.length == 0) {
            return encoded;
        }
        byte[] out = new byte[encoded.length + 2];
        System.arraycopy(encoded, 0, out, 0, encoded.length);
        out[encoded.length] = '\r';
        out[encoded.length + 1] = '\n';
        return out;
    }

    /**
     * Quoted-printable for text: CRLF stays a hard line break, so the decoded text equals the input. Besides what
     * RFC 2045 requires, "From " at a line start is encoded, because mbox-style relays would otherwise alter it.
     */
    static byte[] quotedPrintable(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 4 + 16);
        int lineStart = 0;
        while (lineStart <= data.length) {
            int lineEnd = indexOfCrlf(data, lineStart);
            boolean hardBreak = lineEnd >= 0;
            int end = hardBreak ? lineEnd : data.length;
            encodeLine(data, lineStart, end, out);
            if (!hardBreak) {
                break;
            }
            out.write('\r');
            out.write('\n');
            lineStart = end + 2;
        }
        return out.toByteArray();
    }

    private static void encodeLine(byte[] data, int start, int end, ByteArrayOutputStream out) {
        int column = 0;
        boolean fromLine = end - start >= 5 && data[start] == 'F' && data[start + 1] == 'r'
                && data[start + 2] == 'o' && data[start + 3] == 'm' && data[start + 4] == ' ';
        for (int i = start; i < end; i++) {
            int b = data[i] & 0xff;
            boolean last = i == end - 1;
            boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last);
            if (i == start && fromLine) {
                literal = false;
            }
            int width = literal ? 1 : 3;
            // keep one column free for the soft break '=' unless this is the line's final token
            int limit = last ? QP_LINE : QP_LINE - 1;
            if (column + width > limit) {
                out.write('=');
                out.write('\r');
                out.write('\n');
                column = 0;
            }
            if (literal) {
                out.write(b);
            } else {
                out.write('=');
                out.write(HEX[b >> 4]);
                out.write(HEX[b & 0x0f]);
            }
            column += width;
        }
    }

    static int indexOfCrlf(byte[] data, int from) {
        for (int i = from; i + 1 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
