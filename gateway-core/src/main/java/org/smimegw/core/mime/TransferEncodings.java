package org.smimegw.core.mime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Content-Transfer-Encoding helpers at byte level, the one copy of each: which labels leave the octets as they are,
 * the 7bit test of RFC 5322/2045 and the two encoders used to make a part 7bit-safe (signing, the header block of
 * a bounce). Input is canonical CRLF; output is spooled, so a large part never sits on the heap. Stateless and
 * thread-safe.
 */
public final class TransferEncodings {
    /** RFC 5322 §2.1.1: a line may hold at most 998 octets before CRLF. */
    public static final int MAX_LINE = 998;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** RFC 2045 §6.7 rule 5: encoded lines of at most 76 characters, the soft break '=' included. */
    private static final int QP_LINE = 76;
    /** Input for whole base64 lines: 57 bytes make one 76-character line. */
    private static final int BASE64_BLOCK = 57 * 256;

    private TransferEncodings() {
    }

    /** Whether a Content-Transfer-Encoding ({@link RawMessage#transferEncoding()}) leaves the octets unencoded. */
    public static boolean isIdentity(String encoding) {
        return encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
    }

    /** Whether the bytes may travel as 7bit: no octet above 127, no NUL, no line over 998 octets. */
    public static boolean isSevenBitClean(Bytes data) {
        int[] lineLength = {0};
        return data.forEachChunk((array, offset, length) -> {
            int line = lineLength[0];
            for (int i = offset, end = offset + length; i < end; i++) {
                byte b = array[i];
                if (b <= 0) {
                    return false;
                }
                if (b == '\n') {
                    line = 0;
                } else if (b != '\r' && ++line > MAX_LINE) {
                    return false;
                }
            }
            lineLength[0] = line;
            return true;
        });
    }

    /**
     * Whether 7bit text still risks being altered in transit (RFC 8551 §3.1.1): whitespace at the end of a line,
     * which relays strip, or a line starting with "From ", which mbox-style relays quote.
     */
    public static boolean hasFragileLines(Bytes data) {
        int length = data.length();
        int lineStart = 0;
        for (int i = 0; i <= length; i++) {
            boolean lineEnd = i == length || (data.get(i) == '\r' && i + 1 < length && data.get(i + 1) == '\n');
            if (!lineEnd) {
                continue;
            }
            if (i > lineStart && (data.get(i - 1) == ' ' || data.get(i - 1) == '\t')) {
                return true;
            }
            if (i - lineStart >= 5 && isFromLine(data, lineStart)) {
                return true;
            }
            lineStart = i + 2;
        }
        return false;
    }

    private static boolean isFromLine(Bytes data, int start) {
        return data.get(start) == 'F' && data.get(start + 1) == 'r' && data.get(start + 2) == 'o'
                && data.get(start + 3) == 'm' && data.get(start + 4) == ' ';
    }

    /** Whether the bytes hold an octet above 127 and decode as UTF-8 without error; decoded piece by piece. */
    public static boolean isEightBitUtf8(Bytes data) {
        if (!data.hasEightBitBytes()) {
            return false;
        }
        int length = data.length();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(8192);
        CharBuffer out = CharBuffer.allocate(8192);
        int pos = 0;
        while (true) {
            while (pos < length && in.hasRemaining()) {
                in.put(data.get(pos++));
            }
            in.flip();
            boolean end = pos == length;
            CoderResult result;
            do {
                out.clear();
                result = decoder.decode(in, out, end);
                if (result.isError()) {
                    return false;
                }
            } while (result.isOverflow());
            in.compact();
            if (end) {
                out.clear();
                return !decoder.flush(out).isError();
            }
        }
    }

    /** Base64 in 76-character CRLF-terminated lines (the last line terminated too, unless empty). */
    public static Bytes base64(Bytes data) {
        return spooled(data.spoolArea(), out -> {
            Base64.Encoder encoder = Base64.getMimeEncoder(QP_LINE, CRLF);
            byte[] block = new byte[BASE64_BLOCK];
            int length = data.length();
            for (int pos = 0; pos < length; pos += BASE64_BLOCK) {
                int n = Math.min(BASE64_BLOCK, length - pos);
                byte[] input = n == BASE64_BLOCK ? block : new byte[n];
                data.slice(pos, pos + n).openStream().readNBytes(input, 0, n);
                out.write(encoder.encode(input));
                out.write(CRLF);
            }
        });
    }

    /**
     * Quoted-printable for text: CRLF stays a hard line break, so the decoded text equals the input. Besides what
     * RFC 2045 requires, "From " at a line start is encoded, because mbox-style relays would otherwise alter it.
     */
    public static Bytes quotedPrintable(Bytes data) {
        return spooled(data.spoolArea(), out -> {
            int length = data.length();
            int lineStart = 0;
            while (lineStart <= length) {
                int lineEnd = data.indexOfCrlf(lineStart);
                boolean hardBreak = lineEnd >= 0;
                int end = hardBreak ? lineEnd : length;
                encodeLine(data, lineStart, end, out);
                if (!hardBreak) {
                    break;
                }
                out.write(CRLF);
                lineStart = end + 2;
            }
        });
    }

    private static void encodeLine(Bytes data, int start, int end, OutputStream out) throws IOException {
        int column = 0;
        boolean fromLine = end - start >= 5 && isFromLine(data, start);
        for (int i = start; i < end; i++) {
            int b = data.get(i) & 0xff;
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
                out.write(CRLF);
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

    /** Runs an encoder into a buffered spool in {@code area}. */
    private static Bytes spooled(SpoolArea area, Spool.Writer<IOException> encoder) {
        try {
            return area.write(spool -> {
                BufferedOutputStream out = new BufferedOutputStream(spool, 16 * 1024);
                encoder.writeTo(out);
                out.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
