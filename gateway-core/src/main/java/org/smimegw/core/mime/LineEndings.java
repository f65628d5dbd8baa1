package org.smimegw.core.mime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Canonical CRLF line endings, which S/MIME signatures are computed over (RFC 8551 §3.1.1). */
public final class LineEndings {
    private LineEndings() {
    }

    /** Returns the bytes with every bare LF and bare CR turned into CRLF; the same array if none was found. */
    public static byte[] toCrlf(byte[] in) {
        return isCanonical(in) ? in : toCrlf(Bytes.of(in)).toByteArray();
    }

    /** Returns the bytes with every bare LF and bare CR turned into CRLF; the same instance if none was found. */
    public static Bytes toCrlf(Bytes in) {
        if (isCanonical(in)) {
            return in;
        }
        try {
            return in.spoolArea().write(spool -> {
                OutputStream out = new BufferedOutputStream(spool, Bytes.CHUNK);
                int length = in.length();
                for (int i = 0; i < length; i++) {
                    byte b = in.get(i);
                    if (b == '\r') {
                        out.write('\r');
                        out.write('\n');
                        if (i + 1 < length && in.get(i + 1) == '\n') {
                            i++;
                        }
                    } else if (b == '\n') {
                        out.write('\r');
                        out.write('\n');
                    } else {
                        out.write(b);
                    }
                }
                out.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether every CR is followed by LF and every LF preceded by CR. */
    public static boolean isCanonical(byte[] in) {
        return isCanonical(Bytes.of(in));
    }

    /** Whether every CR is followed by LF and every LF preceded by CR. */
    public static boolean isCanonical(Bytes in) {
        CanonicalCheck check = new CanonicalCheck();
        return in.forEachChunk(check) && !check.previousCr;
    }

    /** Scans piece by piece, carrying whether the previous piece ended with CR. */
    private static final class CanonicalCheck implements Bytes.ChunkVisitor {
        private boolean previousCr;

        @Override
        public boolean visit(byte[] array, int offset, int length) {
            boolean cr = previousCr;
            for (int i = offset, end = offset + length; i < end; i++) {
                byte b = array[i];
                if (cr != (b == '\n')) {
                    return false;
                }
                cr = b == '\r';
            }
            previousCr = cr;
            return true;
        }
    }
}
