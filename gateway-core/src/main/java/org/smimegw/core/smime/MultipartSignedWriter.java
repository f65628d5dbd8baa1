package org.smimegw.core.smime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;

/**
 * Writes the multipart/signed entity of RFC 8551 §3.5.3 around an already signed first part and its detached
 * signature. The first part is copied byte for byte: the signature covers exactly those bytes, and the CRLF
 * after them belongs to the boundary delimiter. Stateless and thread-safe.
 */
final class MultipartSignedWriter {
    private static final String PREAMBLE = "This is an S/MIME signed message\r\n";
    private static final String SIGNATURE_HEADERS = "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=smime.p7s\r\n"
            + "\r\n";

    private MultipartSignedWriter() {
    }

    /**
     * @param signedPart the canonical bytes of the first part (headers, blank line, content)
     * @param signatureBase64 the detached CMS SignedData, base64 in CRLF-terminated lines
     * @param micalg the RFC 8551 name of the digest, e.g. {@code sha-256}
     * @param boundary a boundary that does not occur in {@code signedPart}
     */
    static RawMessage write(byte[] signedPart, byte[] signatureBase64, String micalg, String boundary) {
        HeaderField contentType = HeaderField.of("Content-Type",
                "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=" + micalg + ";\r\n"
                        + "\tboundary=\"" + boundary + "\"");
        ByteArrayOutputStream body = new ByteArrayOutputStream(signedPart.length + signatureBase64.length + 512);
        writeAscii(body, PREAMBLE + "\r\n--" + boundary + "\r\n");
        body.writeBytes(signedPart);
        writeAscii(body, "\r\n--" + boundary + "\r\n" + SIGNATURE_HEADERS);
        body.writeBytes(signatureBase64);
        writeAscii(body, "--" + boundary + "--\r\n");
        return RawMessage.of(List.of(contentType), body.toByteArray());
    }

    private static void writeAscii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
