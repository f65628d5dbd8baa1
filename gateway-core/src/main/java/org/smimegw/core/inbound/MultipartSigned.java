package org.smimegw.core.inbound;

import java.nio.charset.StandardCharsets;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;

/**
 * Splits a multipart/signed body (RFC 1847) into the exact signed bytes of the first part and the second
 * (signature) part; a body with more than two parts is refused. The body is already CRLF-canonical, so the first part's bytes are what was signed. Stateless.
 */
final class MultipartSigned {
    private MultipartSigned() {
    }

    /** The first part exactly as signed (headers and body), and the signature part as an entity. */
    record Parts(Bytes signedContent, RawMessage signaturePart) {
    }

    static Parts split(Bytes body, String boundary) throws MalformedSignatureException {
        if (boundary == null || boundary.isEmpty()) {
            throw new MalformedSignatureException("multipart/signed without boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Delimiter first = next(body, delimiter, 0, true);
        if (first == null || first.closing()) {
            throw new MalformedSignatureException("multipart/signed without parts");
        }
        Delimiter second = next(body, delimiter, first.partStart(), false);
        if (second == null || second.closing()) {
            throw new MalformedSignatureException("multipart/signed without signature part");
        }
        Bytes content = body.slice(first.partStart(), Math.max(first.partStart(), second.lineStart() - 2));
        Delimiter third = next(body, delimiter, second.partStart(), false);
        if (third != null && !third.closing()) {
            // RFC 1847: exactly two parts; a third would be delivered although nothing signs it
            throw new MalformedSignatureException("multipart/signed must have exactly two parts, found "
                    + partCount(body, delimiter, third));
        }
        int signatureEnd = third == null ? body.length() : third.lineStart() - 2;
        Bytes signature = body.slice(second.partStart(), Math.max(second.partStart(), signatureEnd));
        return new Parts(content, RawMessage.parse(signature));
    }

    /** The number of parts when {@code third} opens the third one: it and every later part up to the close. */
    private static int partCount(Bytes body, byte[] delimiter, Delimiter third) {
        int count = 2;
        for (Delimiter d = third; d != null && !d.closing(); d = next(body, delimiter, d.partStart(), false)) {
            count++;
        }
        return count;
    }

    /**
     * A delimiter line: where it starts, whether it closes the multipart, and where the part after it starts.
     */
    private record Delimiter(int lineStart, boolean closing, int partStart) {
    }

    /** Finds the next delimiter line at or after {@code from}: at the start of the body or after a CRLF. */
    private static Delimiter next(Bytes body, byte[] delimiter, int from, boolean atStartAllowed) {
        for (int i = body.indexOf(delimiter, from); i >= 0; i = body.indexOf(delimiter, i + 1)) {
            boolean lineStart = (i == 0 && atStartAllowed)
                    || (i >= 2 && body.get(i - 2) == '\r' && body.get(i - 1) == '\n');
            if (!lineStart) {
                continue;
            }
            Delimiter found = delimiterAt(body, i, i + delimiter.length);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Checks what follows the boundary: "--" (closing), or transport padding and CRLF; else not a delimiter. */
    private static Delimiter delimiterAt(Bytes body, int lineStart, int after) {
        if (after + 1 < body.length() && body.get(after) == '-' && body.get(after + 1) == '-') {
            return new Delimiter(lineStart, true, body.length());
        }
        int j = after;
        while (j < body.length() && (body.get(j) == ' ' || body.get(j) == '\t')) {
            j++;
        }
        if (j + 1 < body.length() && body.get(j) == '\r' && body.get(j + 1) == '\n') {
            return new Delimiter(lineStart, false, j + 2);
        }
        return null;
    }
}
