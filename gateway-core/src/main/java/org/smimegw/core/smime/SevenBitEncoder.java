package org.smimegw.core.smime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.MultipartScanner;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.mime.TransferEncodings;

/**
 * Makes a MIME entity safe for 7bit transport before it is signed (RFC 8551 §3.1.2), so that a relay that
 * downgrades 8bit content cannot break the signature (Zammad issue #3147). Leaf parts labelled 8bit or binary,
 * or unlabelled/7bit but holding octets over 127, NUL or lines over 998 octets, become quoted-printable (text)
 * or base64 (everything else); 7bit text with trailing whitespace or "From " lines becomes quoted-printable too,
 * and 8-bit UTF-8 text without a charset is labelled utf-8. Multiparts and message/rfc822 are walked;
 * boundaries, preambles, epilogues and every part that needs no change stay byte for byte as they were.
 * Stateless and thread-safe.
 */
final class SevenBitEncoder {
    private static final String CTE = "Content-Transfer-Encoding";
    private static final String CONTENT_TYPE = "Content-Type";

    private SevenBitEncoder() {
    }

    /** The entity made 7bit-safe; the same instance when nothing had to change. */
    static RawMessage encode(RawMessage entity) {
        String type = mediaType(entity);
        String label = entity.transferEncoding();
        if (type.startsWith("multipart/signed") || type.startsWith("application/pkcs7-")
                || type.startsWith("application/x-pkcs7-")) {
            // re-encoding inside someone else's signature or CMS blob would only break it
            return entity;
        }
        boolean multipart = type.startsWith("multipart/");
        boolean message = type.equals("message/rfc822") || type.equals("message/global");
        if ((multipart || message) && !TransferEncodings.isIdentity(label)) {
            // a composite labelled base64 or quoted-printable is malformed but already 7bit: leave it
            return entity;
        }
        if (multipart) {
            return encodeMultipart(entity, label);
        }
        if (message) {
            return encodeEmbeddedMessage(entity, label);
        }
        return encodeLeaf(entity, type, label);
    }

    private static RawMessage encodeLeaf(RawMessage entity, String type, String label) {
        boolean labelledRaw = label.equals("8bit") || label.equals("binary");
        boolean labelledSevenBit = label.equals("7bit");
        boolean text = type.startsWith("text/");
        boolean unsafe = labelledRaw || (labelledSevenBit && !TransferEncodings.isSevenBitClean(entity.body()));
        boolean fragile = text && labelledSevenBit && TransferEncodings.hasFragileLines(entity.body());
        if (!unsafe && !fragile) {
            return entity;
        }
        if (text) {
            return withTransferEncoding(withUtf8CharsetIfUnlabelled(entity), "quoted-printable",
                    TransferEncodings.quotedPrintable(entity.body()));
        }
        return withTransferEncoding(entity, "base64", TransferEncodings.base64(entity.body()));
    }

    /**
     * 8-bit text without a charset would read as US-ASCII once encoded (RFC 2045 §5.2); when its bytes are valid
     * UTF-8, say so. A declared charset is never changed.
     */
    private static RawMessage withUtf8CharsetIfUnlabelled(RawMessage entity) {
        if (!TransferEncodings.isEightBitUtf8(entity.body())) {
            return entity;
        }
        Optional<String> value = entity.header(CONTENT_TYPE);
        ContentType contentType;
        try {
            contentType = new ContentType(value.orElse("text/plain"));
        } catch (ParseException e) {
            return entity;
        }
        if (contentType.getParameter("charset") != null) {
            return entity;
        }
        contentType.setParameter("charset", "utf-8");
        return withField(entity, CONTENT_TYPE, contentType.toString(), entity.body());
    }

    private static RawMessage encodeEmbeddedMessage(RawMessage entity, String label) {
        RawMessage inner = RawMessage.parse(entity.body());
        RawMessage encoded = encode(inner);
        Bytes body = encoded == inner ? entity.body() : encoded.toBytes();
        if (TransferEncodings.isSevenBitClean(body)) {
            return relabelIfRaw(entity, label, body);
        }
        // 8-bit header fields inside the embedded message cannot be fixed part by part; base64 keeps them intact
        return withTransferEncoding(entity, "base64", TransferEncodings.base64(body));
    }

    private static RawMessage encodeMultipart(RawMessage entity, String label) {
        Optional<String> boundary = boundary(entity);
        if (boundary.isEmpty()) {
            return encodeLeaf(entity, "application/octet-stream", label);
        }
        Bytes body = entity.body();
        Bytes rewritten = rewriteParts(body, boundary.get());
        return relabelIfRaw(entity, label, rewritten == null ? body : rewritten);
    }

    /** A multipart's own label may only be 7bit once every part is; anything else is left as labelled. */
    private static RawMessage relabelIfRaw(RawMessage entity, String label, Bytes body) {
        boolean raw = label.equals("8bit") || label.equals("binary");
        if (raw && TransferEncodings.isSevenBitClean(body)) {
            return withTransferEncoding(entity, "7bit", body);
        }
        return body == entity.body() ? entity : RawMessage.of(entity.headers(), body);
    }

    /** The body with every changed part replaced, or {@code null} when no part changed. */
    private static Bytes rewriteParts(Bytes body, String boundary) {
        List<int[]> ranges = MultipartScanner.partRanges(body, boundary);
        List<RawMessage> encodedParts = new ArrayList<>(ranges.size());
        boolean changed = false;
        for (int[] range : ranges) {
            RawMessage part = RawMessage.parse(body.slice(range[0], range[1]));
            RawMessage encoded = encode(part);
            encodedParts.add(encoded == part ? null : encoded);
            changed |= encoded != part;
        }
        if (!changed) {
            return null;
        }
        try {
            return body.spoolArea().write(out -> {
                int copied = 0;
                for (int i = 0; i < ranges.size(); i++) {
                    RawMessage encoded = encodedParts.get(i);
                    if (encoded != null) {
                        body.slice(copied, ranges.get(i)[0]).writeTo(out);
                        encoded.writeTo(out);
                        copied = ranges.get(i)[1];
                    }
                }
                body.slice(copied).writeTo(out);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RawMessage withTransferEncoding(RawMessage entity, String encoding, Bytes body) {
        return withField(entity, CTE, encoding, body);
    }

    /** The entity with the first field of that name set to {@code value} (or appended), later ones dropped. */
    private static RawMessage withField(RawMessage entity, String name, String value, Bytes body) {
        List<HeaderField> headers = new ArrayList<>();
        boolean replaced = false;
        for (HeaderField field : entity.headers()) {
            if (field.is(name)) {
                if (!replaced) {
                    headers.add(HeaderField.of(name, value));
                    replaced = true;
                }
            } else {
                headers.add(field);
            }
        }
        if (!replaced) {
            headers.add(HeaderField.of(name, value));
        }
        return RawMessage.of(headers, body);
    }

    /** The lower-case type/subtype; text/plain when absent (RFC 2045 §5.2), octet-stream when unparseable. */
    static String mediaType(RawMessage entity) {
        Optional<String> value = entity.header("Content-Type");
        if (value.isEmpty()) {
            return "text/plain";
        }
        try {
            return new ContentType(value.get()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            String raw = value.get();
            int semicolon = raw.indexOf(';');
            String base = (semicolon < 0 ? raw : raw.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
            return base.startsWith("text/") ? base : "application/octet-stream";
        }
    }

    private static Optional<String> boundary(RawMessage entity) {
        try {
            return Optional.ofNullable(new ContentType(entity.header("Content-Type").orElse(""))
                    .getParameter("boundary")).filter(b -> !b.isEmpty());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
