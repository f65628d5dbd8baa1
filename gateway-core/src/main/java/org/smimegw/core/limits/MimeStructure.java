package org.smimegw.core.limits;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.mail.internet.ContentType;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.MultipartScanner;
import org.smimegw.core.mime.RawMessage;

/**
 * Checks a message against the structural limits of {@link MessageLimits}: nesting depth, number of parts, and
 * every header section it walks through. Each header section is measured on its bytes before it is parsed, so a
 * hostile one (millions of fields, a field of megabytes) is never turned into objects. Multiparts and embedded
 * messages (message/rfc822, message/global, not encoded) are walked; anything else is a leaf, CMS layers
 * included: what the inbound pipeline opens is checked again after it is opened. {@link #check} is thread-safe (each
 * call walks with its own instance); the recursion is bounded by the depth limit.
 */
public final class MimeStructure {
    private final MessageLimits limits;
    private final boolean checkLines;
    private int parts;

    private MimeStructure(MessageLimits limits, boolean checkLines) {
        this.limits = limits;
        this.checkLines = checkLines;
    }

    /**
     * The first limit the message exceeds, or empty.
     *
     * @param message the parsed message (a header section of more fields than the limit may hold them as one lump)
     * @param checkLines whether header lines over {@link MessageLimits#lineBytes()} count (outbound only)
     */
    public static Optional<Limit> check(RawMessage message, MessageLimits limits, boolean checkLines) {
        MimeStructure walk = new MimeStructure(limits, checkLines);
        Optional<Limit> top = walk.headers(message);
        return top.isPresent() ? top : walk.entity(message, 0);
    }

    /**
     * Measures the header section at the start of {@code bytes} (up to the first empty line) without parsing it:
     * the number of fields, the length of each field, and, when {@code checkLines}, the length of each line.
     */
    private static Optional<Limit> headerProblem(Bytes bytes, MessageLimits limits, boolean checkLines) {
        int fields = 0;
        long fieldBytes = 0;
        int pos = 0;
        while (pos < bytes.length()) {
            int lf = bytes.indexOf((byte) '\n', pos);
            int next = lf < 0 ? bytes.length() : lf + 1;
            int end = lf < 0 ? bytes.length() : lf;
            if (end > pos && bytes.get(end - 1) == '\r') {
                end--;
            }
            if (end == pos) {
                break;
            }
            boolean continuation = bytes.get(pos) == ' ' || bytes.get(pos) == '\t';
            if (!continuation) {
                fields++;
                fieldBytes = 0;
            }
            fieldBytes += end - pos + (continuation ? 2 : 0);
            if (fields > limits.headerFields()) {
                return Optional.of(Limit.HEADER_FIELDS);
            }
            if (fieldBytes > limits.headerFieldBytes()) {
                return Optional.of(Limit.HEADER_FIELD_BYTES);
            }
            if (checkLines && end - pos > limits.lineBytes()) {
                return Optional.of(Limit.LINE_BYTES);
            }
            pos = next;
        }
        return Optional.empty();
    }

    /** The same measures on a header section that is parsed already. */
    private Optional<Limit> headers(RawMessage entity) {
        long count = 0;
        for (HeaderField field : entity.headers()) {
            count += field.fieldCount();
        }
        if (count > limits.headerFields()) {
            return Optional.of(Limit.HEADER_FIELDS);
        }
        for (HeaderField field : entity.headers()) {
            for (HeaderField one : field.fieldCount() == 1 ? List.of(field) : field.fields()) {
                String raw = one.raw();
                if (raw.length() > limits.headerFieldBytes()) {
                    return Optional.of(Limit.HEADER_FIELD_BYTES);
                }
                if (checkLines && longestLine(raw) > limits.lineBytes()) {
                    return Optional.of(Limit.LINE_BYTES);
                }
            }
        }
        return Optional.empty();
    }

    private static int longestLine(String raw) {
        int longest = 0;
        int start = 0;
        for (int crlf = raw.indexOf("\r\n"); crlf >= 0; crlf = raw.indexOf("\r\n", start)) {
            longest = Math.max(longest, crlf - start);
            start = crlf + 2;
        }
        return Math.max(longest, raw.length() - start);
    }

    /** Walks one entity whose own header section was checked already, at nesting {@code depth}. */
    private Optional<Limit> entity(RawMessage entity, int depth) {
        if (++parts > limits.mimeParts()) {
            return Optional.of(Limit.MIME_PARTS);
        }
        Optional<ContentType> type = entity.contentType();
        String base = type.map(t -> t.getBaseType().toLowerCase(Locale.ROOT)).orElse("text/plain");
        boolean identity = isIdentity(entity);
        String boundary = type.map(t -> t.getParameter("boundary")).orElse(null);
        if (base.startsWith("multipart/") && boundary != null && !boundary.isEmpty()) {
            if (depth + 1 > limits.mimeDepth()) {
                return Optional.of(Limit.MIME_DEPTH);
            }
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            List<int[]> ranges = MultipartScanner.partRanges(entity.body(), delimiter, limits.mimeParts());
            for (int[] range : ranges) {
                Optional<Limit> problem = nested(entity.body().slice(range[0], range[1]), depth + 1);
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        }
        if ((base.equals("message/rfc822") || base.equals("message/global")) && identity) {
            if (depth + 1 > limits.mimeDepth()) {
                return Optional.of(Limit.MIME_DEPTH);
            }
            return nested(entity.body(), depth + 1);
        }
        return Optional.empty();
    }

    private Optional<Limit> nested(Bytes bytes, int depth) {
        Optional<Limit> problem = headerProblem(bytes, limits, checkLines);
        return problem.isPresent() ? problem : entity(RawMessage.parse(bytes), depth);
    }

    /** An encoded (base64, quoted-printable) composite is malformed and not walked: its octets are opaque here. */
    private static boolean isIdentity(RawMessage entity) {
        String encoding = entity.header("Content-Transfer-Encoding").orElse("7bit").trim().toLowerCase(Locale.ROOT);
        return encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
    }
}
