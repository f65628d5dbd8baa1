package org.smimegw.core.smime;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Instant;

import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.mime.Spool;

/**
 * Signs outbound messages. {@link #sign} writes a detached multipart/signed entity (the default, readable by
 * clients without S/MIME support); {@link #signOpaque} writes application/pkcs7-mime signed-data. Header fields
 * other than Content-* are kept as they are; {@code MIME-Version: 1.0} is added when missing. Algorithms come
 * from {@link SmimeAlgorithms}. Each call serialises its CMS output exactly once. Immutable and thread-safe.
 */
public final class SmimeSigner {
    private final SmimeAlgorithms algorithms;
    private final SecureRandom random;

    public SmimeSigner(SmimeAlgorithms algorithms) {
        this(algorithms, new SecureRandom());
    }

    /** With a given source of randomness for boundaries (the signature itself uses the JCA's own). */
    public SmimeSigner(SmimeAlgorithms algorithms, SecureRandom random) {
        this.algorithms = algorithms;
        this.random = random;
    }

    /**
     * The message with its entity replaced by a detached multipart/signed: first part the original entity made
     * 7bit-safe (RFC 8551 §3.1.2) in canonical CRLF, second part the signature over exactly those bytes.
     *
     * @param signingTime the value of the signingTime attribute
     * @throws SmimeException when the signature cannot be computed (key, provider or encoding failure)
     */
    public RawMessage sign(RawMessage message, SigningIdentity identity, Instant signingTime) {
        return sign(message, message.entity(), identity, signingTime);
    }

    /**
     * As {@link #sign(RawMessage, SigningIdentity, Instant)}, with {@code payload} as the signed entity instead of the
     * message's own: the same body with the header fields it protects (RFC 9788, docs/design.md §12).
     */
    public RawMessage sign(RawMessage message, RawMessage payload, SigningIdentity identity, Instant signingTime) {
        Bytes signedPart = SevenBitEncoder.encode(payload).toBytes();
        Bytes signature = SmimeParts.base64(signedPart.spoolArea(),
                out -> writeSignedData(out, signedPart::writeTo, false, identity, signingTime),
                "sign for " + identity.certificate().getSubjectX500Principal());
        String boundary = SmimeParts.newBoundary(random, signedPart);
        RawMessage entity = MultipartSignedWriter.write(signedPart, signature, algorithms.digest().micalg(),
                boundary);
        return SmimeParts.replaceEntity(message, entity);
    }

    /**
     * The message with its entity replaced by application/pkcs7-mime signed-data that encapsulates the
     * original entity. The content travels inside base64, so it is not re-encoded to 7bit.
     *
     * @throws SmimeException when the signature cannot be computed
     */
    public RawMessage signOpaque(RawMessage message, SigningIdentity identity, Instant signingTime) {
        RawMessage content = message.entity();
        Bytes signedData = SmimeParts.base64(content.body().spoolArea(),
                out -> writeSignedData(out, content::writeTo, true, identity, signingTime),
                "sign (opaque) for " + identity.certificate().getSubjectX500Principal());
        return SmimeParts.replaceEntity(message, SmimeParts.pkcs7Mime("signed-data", signedData));
    }

    private void writeSignedData(OutputStream out, Spool.Writer<IOException> content, boolean encapsulate,
            SigningIdentity identity,
            Instant signingTime) throws IOException, CMSException {
        CMSSignedDataStreamGenerator generator = new CMSSignedDataStreamGenerator();
        generator.setBufferSize(SmimeParts.BUFFER_SIZE);
        generator.addSignerInfoGenerator(SignerInfos.signerInfo(algorithms, identity, signingTime));
        generator.addCertificates(SignerInfos.certificates(identity));
        try (OutputStream signed = generator.open(out, encapsulate)) {
            content.writeTo(signed);
        }
    }
}
