package org.smimegw.core.inbound;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;

import org.smimegw.core.mime.Bytes;

/**
 * Decodes a base64 body block by block into a spool. Strict where the JDK's MIME decoder is lenient: a character
 * outside the alphabet (other than CR, LF, space and tab between lines) or data after the padding is refused, so
 * that two readers cannot see different content. Stateless.
 */
final class StrictBase64 {
    /** Encoded characters per block; a multiple of 4, so a quantum is never split. */
    private static final int BLOCK = 64 * 1024;

    private StrictBase64() {
    }

    /** @throws IllegalArgumentException for invalid base64 */
    static Bytes decode(Bytes encoded) {
        try {
            return encoded.spoolArea().write(out -> decodeTo(encoded, out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void decodeTo(Bytes encoded, OutputStream out) throws IOException {
        Base64.Decoder decoder = Base64.getDecoder();
        byte[] block = new byte[BLOCK];
        int filled = 0;
        boolean padded = false;
        int length = encoded.length();
        for (int i = 0; i < length; i++) {
            byte b = encoded.get(i);
            if (b == '\r' || b == '\n' || b == ' ' || b == '\t') {
                continue;
            }
            if (!isAlphabet(b)) {
                throw new IllegalArgumentException("invalid base64 character 0x" + Integer.toHexString(b & 0xff));
            }
            if (padded) {
                throw new IllegalArgumentException("base64 data after the padding");
            }
            block[filled++] = b;
            if (filled == BLOCK) {
                write(decoder, block, filled, out);
                padded = block[filled - 1] == '=';
                filled = 0;
            }
        }
        if (filled > 0) {
            write(decoder, block, filled, out);
        }
    }

    private static void write(Base64.Decoder decoder, byte[] block, int length, OutputStream out)
            throws IOException {
        ByteBuffer decoded = decoder.decode(ByteBuffer.wrap(block, 0, length));
        out.write(decoded.array(), decoded.arrayOffset() + decoded.position(), decoded.remaining());
    }

    private static boolean isAlphabet(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/'
                || b == '=';
    }
}
