package org.smimegw.core.smime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.smimegw.core.mime.Bytes;
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
    static RawMessage write(Bytes signedPart, Bytes signatureBase64, String micalg, String boundary) {
        HeaderField contentType = HeaderField.of("Content-Type",
                "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=" + micalg + ";\r\n"
                        + "\tboundary=\"" + boundary + "\"");
        try {
            Bytes body = signedPart.spoolArea().write(out -> {
                writeAscii(out, PREAMBLE + "\r\n--" + boundary + "\r\n");
                signedPart.writeTo(out);
                writeAscii(out, "\r\n--" + boundary + "\r\n" + SIGNATURE_HEADERS);
                signatureBase64.writeTo(out);
                writeAscii(out, "--" + boundary + "--\r\n");
            });
            return RawMessage.of(List.of(contentType), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAscii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
}
