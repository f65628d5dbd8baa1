package org.smimegw.core.inbound;

import java.io.IOException;
import java.io.InputStream;

import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSCompressedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.ZlibExpanderProvider;
import org.bouncycastle.util.io.StreamOverflowException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;

/**
 * Expands one compressed-data entity (RFC 3274, zlib). The expanded content may be at most
 * {@link MessageLimits#expansionLimit} of the compressed size, so a small "zip bomb" cannot fill the spool: the
 * expander stops at the limit instead of reading on. Never throws for bad input: every problem is a fixed reason,
 * which the pipeline reports as {@code permerror}. Thread-safe.
 */
final class Decompressor {
    static final String MALFORMED = "malformed compressed-data";
    private static final Logger LOG = LoggerFactory.getLogger(Decompressor.class);

    private final MessageLimits limits;

    Decompressor(MessageLimits limits) {
        this.limits = limits;
    }

    /**
     * The expanded entity, or why there is none.
     *
     * @param entity the expanded entity (Content-* fields and body); null when {@code problem} is set
     * @param problem the fixed reason it could not be expanded; null on success
     * @param protectedHeaders the header fields the sender protected (RFC 9788), or null
     */
    record Decompression(RawMessage entity, String problem, ProtectedHeaders protectedHeaders) {
        Decompression(RawMessage entity, String problem) {
            this(entity, problem, null);
        }
    }

    Decompression decompress(RawMessage entity) {
        Bytes der;
        try {
            der = MimeParts.decodedBody(entity);
            if (!CMSObjectIdentifiers.compressedData.equals(EntityClassifier.cmsContentType(der))) {
                return failed(MALFORMED, null);
            }
        } catch (IOException | RuntimeException e) {
            return failed(MALFORMED, e);
        }
        long limit = limits.expansionLimit(der.length());
        try (InputStream content = new CMSCompressedDataParser(der.openStream())
                .getContent(new ZlibExpanderProvider(limit)).getContentStream()) {
            MimeParts.Inner inner = MimeParts.inner(der.spoolArea().copyOf(content));
            return new Decompression(inner.entity(), null, inner.protectedHeaders());
        } catch (StreamOverflowException e) {
            return failed(limits.reason(Limit.EXPANSION), e);
        } catch (CMSException | IOException | RuntimeException e) {
            return failed(MALFORMED, e);
        }
    }

    private static Decompression failed(String reason, Exception cause) {
        LOG.debug("cannot expand compressed-data: {}", reason, cause);
        return new Decompression(null, reason);
    }
}
