package org.smimegw.core.limits;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.mail.internet.ContentType;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.HeaderSection;
import org.smimegw.core.mime.MultipartScanner;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.mime.TransferEncodings;

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
     * the number of fields, the length of each field, and, when {@code checkLines}, the length of each line. The
     * first limit exceeded in the order the lines come wins.
     */
    private Optional<Limit> headerProblem(Bytes bytes) {
        HeaderMeasure measure = new HeaderMeasure(limits, checkLines);
        HeaderSection.scan(bytes, bytes.length(), measure);
        return Optional.ofNullable(measure.problem);
    }

    /**
     * The same measures on a header section that is parsed already, field by field on the bytes each is written
     * as: a lump of fields beyond the limit (RawMessage#parse) is counted field by field, as it was received.
     */
    private Optional<Limit> headers(RawMessage entity) {
        HeaderMeasure measure = new HeaderMeasure(limits, checkLines);
        for (HeaderField field : entity.headers()) {
            Bytes raw = Bytes.of(field.raw().getBytes(StandardCharsets.ISO_8859_1));
            HeaderSection.scan(raw, raw.length(), measure);
            if (measure.problem != null) {
                break;
            }
        }
        return Optional.ofNullable(measure.problem);
    }

    /** Counts fields and measures fields and lines as {@link HeaderSection} hands them over; stops at a problem. */
    private static final class HeaderMeasure implements HeaderSection.Lines {
        private final MessageLimits limits;
        private final boolean checkLines;
        private int fields;
        private long fieldBytes;
        private Limit problem;

        HeaderMeasure(MessageLimits limits, boolean checkLines) {
            this.limits = limits;
            this.checkLines = checkLines;
        }

        @Override
        public boolean line(int start, int end, boolean startsField) {
            if (startsField) {
                fields++;
                fieldBytes = 0;
            }
            // a fold is CRLF in the field's raw text, whatever line end the bytes had
            fieldBytes += end - start + (startsField ? 0 : 2);
            if (fields > limits.headerFields()) {
                problem = Limit.HEADER_FIELDS;
            } else if (fieldBytes > limits.headerFieldBytes()) {
                problem = Limit.HEADER_FIELD_BYTES;
            } else if (checkLines && end - start > limits.lineBytes()) {
                problem = Limit.LINE_BYTES;
            }
            return problem == null;
        }
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
            List<int[]> ranges = MultipartScanner.partRanges(entity.body(), boundary, limits.mimeParts());
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
        Optional<Limit> problem = headerProblem(bytes);
        return problem.isPresent() ? problem : entity(RawMessage.parse(bytes), depth);
    }

    /** An encoded (base64, quoted-printable) composite is malformed and not walked: its octets are opaque here. */
    private static boolean isIdentity(RawMessage entity) {
        return TransferEncodings.isIdentity(entity.transferEncoding());
    }
}
