package org.smimegw.core.mime;

import java.io.ByteArrayOutputStream;

/** Canonical CRLF line endings, which S/MIME signatures are computed over (RFC 8551 §3.1.1). */
public final class LineEndings {
    private LineEndings() {
    }

    /** Returns the bytes with every bare LF and bare CR turned into CRLF; the same array if none was found. */
    public static byte[] toCrlf(byte[] in) {
        if (isCanonical(in)) {
            return in;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 32 + 16);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < in.length && in[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** Whether every CR is followed by LF and every LF preceded by CR. */
    public static boolean isCanonical(byte[] in) {
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\r' && (i + 1 >= in.length || in[i + 1] != '\n')) {
                return false;
            }
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                return false;
            }
        }
        return true;
    }
}
