package org.smimegw.core.inbound;

import java.io.IOException;
import java.util.Optional;

import jakarta.mail.internet.ContentType;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;

/**
 * Decides which S/MIME layer an entity is from its Content-Type and, for a pkcs7-mime entity without
 * {@code smime-type}, from the CMS content type inside. Only the entity handed in is looked at, never its
 * parts: the pipeline opens top-level layers only. Stateless.
 */
final class EntityClassifier {
    private EntityClassifier() {
    }

    static EntityKind classify(RawMessage entity) {
        Optional<ContentType> type = entity.contentType();
        String base = MimeParts.baseType(type);
        if ("multipart/signed".equals(base)) {
            String protocol = MimeParts.parameter(type, "protocol");
            boolean smime = "application/pkcs7-signature".equals(protocol)
                    || "application/x-pkcs7-signature".equals(protocol);
            return smime ? EntityKind.MULTIPART_SIGNED : EntityKind.OTHER;
        }
        if (!"application/pkcs7-mime".equals(base) && !"application/x-pkcs7-mime".equals(base)) {
            return EntityKind.OTHER;
        }
        String smimeType = MimeParts.parameter(type, "smime-type");
        if (smimeType == null) {
            return sniff(entity);
        }
        return switch (smimeType) {
            case "enveloped-data" -> EntityKind.ENVELOPED;
            case "authenveloped-data" -> EntityKind.AUTH_ENVELOPED;
            case "signed-data" -> EntityKind.OPAQUE_SIGNED;
            case "compressed-data" -> EntityKind.COMPRESSED;
            default -> EntityKind.OTHER;
        };
    }

    /** Reads only the outer ContentInfo's type OID; an unreadable body is not an S/MIME layer. */
    private static EntityKind sniff(RawMessage entity) {
        try {
            ASN1ObjectIdentifier contentType = cmsContentType(MimeParts.decodedBody(entity));
            if (CMSObjectIdentifiers.envelopedData.equals(contentType)) {
                return EntityKind.ENVELOPED;
            }
            if (CMSObjectIdentifiers.authEnvelopedData.equals(contentType)) {
                return EntityKind.AUTH_ENVELOPED;
            }
            if (CMSObjectIdentifiers.signedData.equals(contentType)) {
                return EntityKind.OPAQUE_SIGNED;
            }
            if (CMSObjectIdentifiers.compressedData.equals(contentType)) {
                return EntityKind.COMPRESSED;
            }
            return EntityKind.OTHER;
        } catch (IOException | RuntimeException e) {
            return EntityKind.OTHER;
        }
    }

    /** The content type of a CMS ContentInfo, read without parsing the content. */
    static ASN1ObjectIdentifier cmsContentType(Bytes der) throws IOException {
        ASN1Encodable outer = new ASN1StreamParser(der.openStream()).readObject();
        if (!(outer instanceof ASN1SequenceParser sequence)) {
            throw new IOException("not a CMS ContentInfo");
        }
        return new ContentInfoParser(sequence).getContentType();
    }
}
