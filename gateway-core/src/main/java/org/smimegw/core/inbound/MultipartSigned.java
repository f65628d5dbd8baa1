package org.smimegw.core.inbound;

import java.util.List;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.MultipartScanner;
import org.smimegw.core.mime.RawMessage;

/**
 * Splits a multipart/signed body (RFC 1847) into the exact signed bytes of the first part and the second
 * (signature) part; a body with more than two parts is refused. The parts are where {@link MultipartScanner} finds
 * them, as for the limit check. The body is already CRLF-canonical, so the first part's bytes are what was signed.
 * Stateless.
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
        List<int[]> parts = MultipartScanner.partRanges(body, boundary, 2);
        if (parts.isEmpty()) {
            throw new MalformedSignatureException("multipart/signed without parts");
        }
        if (parts.size() == 1) {
            throw new MalformedSignatureException("multipart/signed without signature part");
        }
        if (parts.size() > 2) {
            // RFC 1847: exactly two parts; a third would be delivered although nothing signs it
            throw new MalformedSignatureException("multipart/signed must have exactly two parts, found "
                    + MultipartScanner.partCount(body, boundary));
        }
        Bytes content = body.slice(parts.get(0)[0], parts.get(0)[1]);
        Bytes signature = body.slice(parts.get(1)[0], parts.get(1)[1]);
        return new Parts(content, RawMessage.parse(signature));
    }
}
