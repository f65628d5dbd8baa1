package org.smimegw.core.inbound;

/** What an S/MIME layer a MIME entity is, as far as the inbound pipeline cares. */
enum EntityKind {
    /** CMS EnvelopedData (CBC and other classic ciphers). */
    ENVELOPED,
    /** CMS AuthEnvelopedData (AES-GCM, RFC 5083). */
    AUTH_ENVELOPED,
    /** application/pkcs7-mime carrying SignedData with the content inside. */
    OPAQUE_SIGNED,
    /** multipart/signed with a pkcs7-signature second part. */
    MULTIPART_SIGNED,
    /** CMS CompressedData (RFC 3274, zlib). */
    COMPRESSED,
    /** Anything else: not an S/MIME layer this pipeline opens. */
    OTHER;

    boolean encrypted() {
        return this == ENVELOPED || this == AUTH_ENVELOPED;
    }

    boolean signed() {
        return this == OPAQUE_SIGNED || this == MULTIPART_SIGNED;
    }
}
