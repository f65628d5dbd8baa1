package org.smimegw.core.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.inbound.EncryptionOutcome.Decrypted;
import org.smimegw.core.inbound.EncryptionOutcome.Failed;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.limits.MessageLimits.Limit;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.port.StoreFailure;

/**
 * Decrypts one enveloped entity (EnvelopedData or AuthEnvelopedData) with the stored organisation key whose
 * certificate matches a RecipientInfo. Never throws for bad input: every problem becomes {@link Failed} with a
 * fixed reason (the parser's own words go to the debug log, never into the header). Thread-safe.
 */
final class Decryptor {
    static final String NO_KEY = "no stored private key matches a recipient";
    static final String MALFORMED = "malformed enveloped data";
    static final String NOT_ENVELOPED = "not enveloped data";
    static final String KEY_DOES_NOT_OPEN = "no stored private key opens it";
    static final String CONTENT_DAMAGED = "encrypted content is damaged";
    private static final Logger LOG = LoggerFactory.getLogger(Decryptor.class);

    private final Stores stores;
    private final MessageLimits limits;

    Decryptor(Stores stores, MessageLimits limits) {
        this.stores = stores;
        this.limits = limits;
    }

    /**
     * The outcome, and the decrypted entity (Content-* fields and body only) when it succeeded, with the header fields
     * its sender protected (RFC 9788), or null.
     */
    record Decryption(EncryptionOutcome outcome, RawMessage entity, ProtectedHeaders protectedHeaders) {
        Decryption(EncryptionOutcome outcome, RawMessage entity) {
            this(outcome, entity, null);
        }

        boolean succeeded() {
            return outcome instanceof Decrypted;
        }
    }

    private record KeyMatch(RecipientInformation recipient, PrivateKey key, String fingerprint) {
    }

    Decryption decrypt(RawMessage entity) {
        RecipientInformationStore recipients;
        boolean authenticated;
        try {
            Bytes der = MimeParts.decodedBody(entity);
            ASN1ObjectIdentifier contentType = EntityClassifier.cmsContentType(der);
            authenticated = CMSObjectIdentifiers.authEnvelopedData.equals(contentType);
            if (!authenticated && !CMSObjectIdentifiers.envelopedData.equals(contentType)) {
                return failed(NOT_ENVELOPED, null);
            }
            recipients = authenticated ? new CMSAuthEnvelopedDataParser(der.openStream()).getRecipientInfos()
                    : new CMSEnvelopedDataParser(der.openStream()).getRecipientInfos();
        } catch (CMSException | IOException | RuntimeException e) {
            return failed(MALFORMED, e);
        }
        if (recipients.size() > limits.recipients()) {
            // each RecipientInfo is matched against every organisation certificate
            return failed(limits.reason(Limit.RECIPIENTS), null);
        }
        try {
            Optional<KeyMatch> match = findKey(recipients);
            return match.isEmpty() ? failed(NO_KEY, null) : open(match.get(), authenticated, entity.body().spoolArea());
        } catch (StoreFailure e) {
            return failed(e.getMessage(), null);
        }
    }

    private static Decryption failed(String reason, Exception cause) {
        if (cause != null) {
            LOG.debug("cannot decrypt: {}", reason, cause);
        }
        return new Decryption(new Failed(reason), null);
    }

    /**
     * Unwrapping the content key and reading the content fail separately: they name different problems. The content
     * is spooled in {@code area}, where the encrypted entity came from.
     */
    private static Decryption open(KeyMatch match, boolean authenticated, SpoolArea area) {
        InputStream content;
        try {
            content = match.recipient().getContentStream(recipientFor(match, authenticated)).getContentStream();
        } catch (CMSException | IOException | RuntimeException e) {
            return failed(KEY_DOES_NOT_OPEN, e);
        }
        try (content) {
            MimeParts.Inner inner = MimeParts.inner(area.copyOf(content));
            return new Decryption(new Decrypted(match.fingerprint()), inner.entity(), inner.protectedHeaders());
        } catch (IOException | RuntimeException e) {
            return failed(CONTENT_DAMAGED, e);
        }
    }

    private Optional<KeyMatch> findKey(RecipientInformationStore recipients) {
        for (X509Certificate certificate : stores.keyCertificates()) {
            for (RecipientId id : recipientIds(certificate)) {
                RecipientInformation recipient = recipients.get(id);
                if (recipient != null) {
                    String fingerprint = Fingerprints.sha256(certificate);
                    Optional<PrivateKey> key = stores.key(fingerprint);
                    if (key.isPresent()) {
                        return Optional.of(new KeyMatch(recipient, key.get(), fingerprint));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<RecipientId> recipientIds(X509Certificate certificate) {
        try {
            return List.of(new JceKeyTransRecipientId(certificate), new JceKeyAgreeRecipientId(certificate));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** AuthEnvelopedData needs the AuthEnveloped recipient classes, or GCM content is not authenticated. */
    private static Recipient recipientFor(KeyMatch match, boolean authenticated) {
        if (match.recipient() instanceof KeyAgreeRecipientInformation) {
            return authenticated ? new JceKeyAgreeAuthEnvelopedRecipient(match.key())
                    : new JceKeyAgreeEnvelopedRecipient(match.key());
        }
        return authenticated ? new JceKeyTransAuthEnvelopedRecipient(match.key())
                : new JceKeyTransEnvelopedRecipient(match.key());
    }
}
