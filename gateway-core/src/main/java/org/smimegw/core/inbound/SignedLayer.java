package org.smimegw.core.inbound;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

import jakarta.mail.internet.ContentType;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSTypedData;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;

/**
 * A signature layer opened for verification: the CMS SignedData and the exact signed content bytes, from either
 * a multipart/signed entity or an opaque signed-data entity. Immutable.
 *
 * @param signedData the parsed SignedData, with the signed content attached
 * @param content the signed bytes: the first part of multipart/signed, or the encapsulated content
 * @param embedsOtherContent whether a detached signature also carries different encapsulated content
 */
record SignedLayer(CMSSignedData signedData, Bytes content, boolean embedsOtherContent) {

    /** The signed content as a MIME entity (its Content-* fields and body), with the fields it protects. */
    MimeParts.Inner inner() {
        return MimeParts.inner(content);
    }

    static SignedLayer open(RawMessage entity, EntityKind kind, MessageLimits limits)
            throws MalformedSignatureException {
        SignedLayer layer = kind == EntityKind.MULTIPART_SIGNED ? detached(entity, limits) : opaque(entity);
        if (!CMSObjectIdentifiers.data.getId().equals(layer.signedData().getSignedContentTypeOID())) {
            throw new MalformedSignatureException("signed content type is "
                    + layer.signedData().getSignedContentTypeOID() + ", not id-data");
        }
        return layer;
    }

    private static SignedLayer detached(RawMessage entity, MessageLimits limits) throws MalformedSignatureException {
        Optional<ContentType> type = entity.contentType();
        MultipartSigned.Parts parts = MultipartSigned.split(entity.body(),
                type.map(t -> t.getParameter("boundary")).orElse(null));
        String signatureType = MimeParts.baseType(parts.signaturePart().contentType());
        if (!"application/pkcs7-signature".equals(signatureType)
                && !"application/x-pkcs7-signature".equals(signatureType)) {
            throw new MalformedSignatureException("second part of multipart/signed is " + signatureType
                    + ", not application/pkcs7-signature");
        }
        Bytes der = decode(parts.signaturePart(), "signature part");
        if (der.length() > limits.signatureBytes()) {
            // parsed whole into memory below; the signed content is outside it, so it has no reason to be large
            throw new MalformedSignatureException(limits.reason(Limit.SIGNATURE_BYTES));
        }
        ContentInfo info = signedDataInfo(der, "malformed signature", "signature is not CMS SignedData");
        try {
            byte[] embedded = encapsulated(info);
            CMSSignedData signed = new CMSSignedData(new SignedBytes(parts.signedContent()), info);
            boolean differs = embedded != null && !parts.signedContent().contentEquals(embedded);
            return new SignedLayer(signed, parts.signedContent(), differs);
        } catch (CMSException | RuntimeException e) {
            throw new MalformedSignatureException("malformed signature", e);
        }
    }

    /** The eContent a "detached" signature carries anyway, or {@code null}. */
    private static byte[] encapsulated(ContentInfo info) {
        SignedData signedData = SignedData.getInstance(info.getContent());
        if (signedData.getEncapContentInfo().getContent() == null) {
            return null;
        }
        return ASN1OctetString.getInstance(signedData.getEncapContentInfo().getContent()).getOctets();
    }

    private static SignedLayer opaque(RawMessage entity) throws MalformedSignatureException {
        Bytes der = decode(entity, "signed-data");
        ContentInfo info = signedDataInfo(der, "malformed signed-data", "signed-data entity is not CMS SignedData");
        try {
            CMSSignedData signed = new CMSSignedData(info);
            CMSTypedData content = signed.getSignedContent();
            if (content == null || !(content.getContent() instanceof byte[] bytes)) {
                throw new MalformedSignatureException("signed-data carries no content");
            }
            return new SignedLayer(signed, Bytes.of(bytes), false);
        } catch (CMSException | RuntimeException e) {
            throw new MalformedSignatureException("malformed signed-data", e);
        }
    }

    /** The outer ContentInfo, which must announce SignedData (not DigestedData, EncryptedData, ...). */
    private static ContentInfo signedDataInfo(Bytes der, String malformed, String notSignedData)
            throws MalformedSignatureException {
        ContentInfo info;
        try (ASN1InputStream in = new ASN1InputStream(der.openStream(), der.length())) {
            info = ContentInfo.getInstance(in.readObject());
            if (in.available() != 0) {
                // as ASN1Primitive.fromByteArray: nothing may follow the object
                throw new IOException("extra data after the ContentInfo");
            }
        } catch (IOException | RuntimeException e) {
            throw new MalformedSignatureException(malformed, e);
        }
        if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
            throw new MalformedSignatureException(notSignedData);
        }
        return info;
    }

    private static Bytes decode(RawMessage entity, String what) throws MalformedSignatureException {
        try {
            Bytes der = MimeParts.decodedBody(entity);
            if (der.isEmpty()) {
                throw new MalformedSignatureException(what + " is empty");
            }
            return der;
        } catch (IllegalArgumentException e) {
            throw new MalformedSignatureException(what + " is not valid base64", e);
        }
    }

    /** Detached signed content for the CMS verifier: digested straight from the (possibly mapped) bytes. */
    private record SignedBytes(Bytes bytes) implements CMSTypedData {
        @Override
        public ASN1ObjectIdentifier getContentType() {
            return CMSObjectIdentifiers.data;
        }

        @Override
        public void write(OutputStream out) throws IOException {
            bytes.writeTo(out);
        }

        @Override
        public Object getContent() {
            return bytes;
        }
    }
}
