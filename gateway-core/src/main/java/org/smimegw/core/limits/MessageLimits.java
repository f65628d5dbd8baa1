package org.smimegw.core.limits;

/**
 * Every input limit of the gateway in one place (ADR 13): the MIME structure of a message, its header sections,
 * the CMS objects inside it, and how far a compressed layer may expand. A message over a limit is refused
 * outbound ({@code 554 5.6.0}) and delivered unchanged with {@code smime=permerror} inbound; the reason names
 * the limit ({@link #reason}). Immutable and thread-safe.
 *
 * @param mimeDepth how many multipart or message/rfc822 levels may nest (a plain message has depth 0)
 * @param mimeParts how many MIME entities one message may hold, counted over every level
 * @param headerFields how many header fields one header section may hold
 * @param headerFieldBytes how long one header field may be, folding included
 * @param lineBytes how long a header line may be in a message the gateway sends on (RFC 5322 §2.1.1)
 * @param signatureBytes how large a received detached signature (the DER of a pkcs7-signature part) may be
 * @param signers how many SignerInfos a received signature may carry
 * @param certificates how many certificates a received signature may embed
 * @param chainLength how many certificates a certification path may have, the signer's or our own
 * @param recipients how many RecipientInfos a received enveloped message may carry
 * @param expansionRatio how many times its compressed size a compressed layer may expand to
 * @param expandedBytes how large a decompressed layer may ever be, whatever the ratio
 */
public record MessageLimits(int mimeDepth, int mimeParts, int headerFields, int headerFieldBytes, int lineBytes,
        int signatureBytes, int signers, int certificates, int chainLength, int recipients, int expansionRatio,
        long expandedBytes) {

    /** The defaults of ADR 13. */
    public static final MessageLimits DEFAULTS = new MessageLimits(32, 10_000, 1000, 64 * 1024, 998,
            1024 * 1024, 8, 32, 8, 1024, 100, 50L * 1024 * 1024);

    public MessageLimits {
        if (mimeDepth < 1 || mimeParts < 1 || headerFields < 1 || headerFieldBytes < 1 || lineBytes < 78
                || signatureBytes < 1 || signers < 1 || certificates < 1 || chainLength < 1 || recipients < 1
                || expansionRatio < 1 || expandedBytes < 1) {
            throw new IllegalArgumentException("every message limit must be positive (lines at least 78): "
                    + MessageLimits.class.getSimpleName() + "[" + mimeDepth + ", " + mimeParts + ", ...]");
        }
    }

    /** These limits with another cap on decompressed size (the composition root passes the message size cap). */
    public MessageLimits withExpandedBytes(long bytes) {
        return new MessageLimits(mimeDepth, mimeParts, headerFields, headerFieldBytes, lineBytes, signatureBytes,
                signers, certificates, chainLength, recipients, expansionRatio, bytes);
    }

    /**
     * These limits less what signing adds (a multipart/signed level holding the content and the signature), so that
     * every message the gateway sends out is within the limits it receives with: a submitted message nested exactly
     * to the limit would otherwise come back from a peer gateway as {@code permerror}.
     */
    public MessageLimits forSubmission() {
        return new MessageLimits(Math.max(1, mimeDepth - 1), Math.max(1, mimeParts - 2), headerFields,
                headerFieldBytes, lineBytes, signatureBytes, signers, certificates, chainLength, recipients,
                expansionRatio, expandedBytes);
    }

    /** The most a compressed layer of {@code compressedBytes} may expand to. */
    public long expansionLimit(long compressedBytes) {
        long byRatio = compressedBytes > Long.MAX_VALUE / expansionRatio ? Long.MAX_VALUE
                : compressedBytes * expansionRatio;
        return Math.min(byRatio, expandedBytes);
    }

    /** The fixed reason texts: they go into SMTP replies and result headers, so they never quote input. */
    public String reason(Limit limit) {
        return switch (limit) {
            case MIME_DEPTH -> "MIME nesting deeper than " + mimeDepth + " levels";
            case MIME_PARTS -> "more than " + mimeParts + " MIME parts";
            case HEADER_FIELDS -> "more than " + headerFields + " header fields in one header section";
            case HEADER_FIELD_BYTES -> "header field longer than " + headerFieldBytes + " octets";
            case LINE_BYTES -> "header line longer than " + lineBytes + " octets";
            case SIGNATURE_BYTES -> "signature larger than " + signatureBytes + " octets";
            case SIGNERS -> "more than " + signers + " SignerInfos";
            case CERTIFICATES -> "more than " + certificates + " certificates in the signature";
            case RECIPIENTS -> "more than " + recipients + " RecipientInfos";
            case EXPANSION -> "compressed content expands more than " + expansionRatio + " times or beyond "
                    + expandedBytes + " octets";
        };
    }

    /** The limits a received or submitted message can exceed (the chain length only stops a path search). */
    public enum Limit {
        MIME_DEPTH, MIME_PARTS, HEADER_FIELDS, HEADER_FIELD_BYTES, LINE_BYTES, SIGNATURE_BYTES, SIGNERS,
        CERTIFICATES, RECIPIENTS, EXPANSION
    }
}
