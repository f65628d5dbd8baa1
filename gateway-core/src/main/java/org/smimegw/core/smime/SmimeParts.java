package org.smimegw.core.smime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.cms.CMSException;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.mime.SpoolArea;

/**
 * The MIME wrappers the outbound engine writes around CMS output: base64 bodies, the application/pkcs7-mime
 * entity, boundaries, and putting a new entity into a message. Stateless and thread-safe.
 */
final class SmimeParts {
    /** Writes CMS output to a stream; the stream is base64-encoded as it is written. */
    @FunctionalInterface
    interface CmsWriter {
        void writeTo(OutputStream out) throws IOException, CMSException;
    }

    static final int BUFFER_SIZE = 32 * 1024;
    /**
     * The buffers around the base64 encoder: enough for whole blocks, small enough that the two of them per message
     * are not a tenth of what a 10 KB message allocates (docs/performance.md).
     */
    private static final int BASE64_BUFFER = 8 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final char[] BOUNDARY_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private SmimeParts() {
    }

    /**
     * Runs the writer into a base64 encoder, spooled in {@code area}: 76-character CRLF lines, the last one
     * terminated too.
     */
    static Bytes base64(SpoolArea area, CmsWriter writer, String what) {
        try {
            return area.write(spool -> {
                BufferedOutputStream buffered = new BufferedOutputStream(spool, BASE64_BUFFER);
                CountingStream counted = new CountingStream(buffered);
                // closing the encoder writes its last characters; the spool itself stays open. CMS output comes in
                // small pieces (tags, lengths); the encoder is fastest on whole blocks, hence the buffer before it.
                try (OutputStream base64 = new BufferedOutputStream(Base64.getMimeEncoder(76, CRLF).wrap(counted),
                        BASE64_BUFFER)) {
                    writer.writeTo(base64);
                }
                if (counted.count > 0) {
                    buffered.write(CRLF);
                }
                buffered.flush();
            });
        } catch (IOException | CMSException e) {
            throw new SmimeException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /** Counts what passes, and keeps the stream under it open when closed. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /** An application/pkcs7-mime entity with the given smime-type around a base64 body (RFC 8551 §3.2). */
    static RawMessage pkcs7Mime(String smimeType, Bytes base64Body) {
        return RawMessage.of(List.of(
                HeaderField.of("Content-Type", "application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m"),
                HeaderField.of("Content-Transfer-Encoding", "base64"),
                HeaderField.of("Content-Disposition", "attachment; filename=smime.p7m")), base64Body);
    }

    /**
     * The message with its Content-* fields and body replaced by the entity, other fields unchanged and
     * {@code MIME-Version: 1.0} added when the message had none.
     */
    static RawMessage replaceEntity(RawMessage message, RawMessage entity) {
        if (message.header("MIME-Version").isPresent()) {
            return message.withEntity(entity);
        }
        List<HeaderField> headers = new ArrayList<>();
        headers.add(HeaderField.of("MIME-Version", "1.0"));
        headers.addAll(entity.headers());
        return message.withEntity(RawMessage.of(headers, entity.body()));
    }

    /**
     * A boundary that does not occur in the content. The "=_" in it can never appear in base64 or
     * quoted-printable text, and the random part makes a collision with raw content practically impossible;
     * the check makes it certain.
     */
    static String newBoundary(SecureRandom random, Bytes content) {
        while (true) {
            StringBuilder boundary = new StringBuilder("----=_smimegw_");
            for (int i = 0; i < 32; i++) {
                boundary.append(BOUNDARY_CHARS[random.nextInt(BOUNDARY_CHARS.length)]);
            }
            String candidate = boundary.toString();
            if (content.indexOf(candidate.getBytes(StandardCharsets.US_ASCII), 0) < 0) {
                return candidate;
            }
        }
    }
}
