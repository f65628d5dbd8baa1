package org.smimegw.core.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
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
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.inbound.EncryptionOutcome.Decrypted;
import org.smimegw.core.inbound.EncryptionOutcome.Failed;
import org.smimegw.core.mime.RawMessage;

/**
 * Decrypts one enveloped entity (EnvelopedData or AuthEnvelopedData) with the stored organisation key whose
 * certificate matches a RecipientInfo. Never throws for bad input: every problem becomes {@link Failed}.
 * Thread-safe.
 */
final class Decryptor {
    static final String NO_KEY = "no stored private key matches a recipient";

    private final Stores stores;

    Decryptor(Stores stores) {
        this.stores = stores;
    }

    /** The outcome, and the decrypted entity (Content-* fields and body only) when it succeeded. */
    record Decryption(EncryptionOutcome outcome, RawMessage entity) {
        boolean succeeded() {
            return outcome instanceof Decrypted;
        }
    }

    private record KeyMatch(RecipientInformation recipient, PrivateKey key, String fingerprint) {
    }

    Decryption decrypt(RawMessage entity) {
        try {
            byte[] der = MimeParts.decodedBody(entity);
            boolean authenticated = isAuthEnveloped(der);
            RecipientInformationStore recipients = authenticated
                    ? new CMSAuthEnvelopedDataParser(der).getRecipientInfos()
                    : new CMSEnvelopedDataParser(der).getRecipientInfos();
            Optional<KeyMatch> match = findKey(recipients);
            if (match.isEmpty()) {
                return failed(NO_KEY);
            }
            byte[] plain = open(match.get(), authenticated);
            RawMessage inner = MimeParts.innerEntity(plain);
            return new Decryption(new Decrypted(match.get().fingerprint()), inner);
        } catch (StoreUnavailableException e) {
            return failed(e.getMessage());
        } catch (CMSException | IOException | RuntimeException e) {
            return failed("cannot decrypt: " + Problems.describe(e));
        }
    }

    private static Decryption failed(String reason) {
        return new Decryption(new Failed(reason), null);
    }

    /** The CMS content type decides the parser, whatever smime-type the sender wrote. */
    private static boolean isAuthEnveloped(byte[] der) throws IOException {
        ASN1Encodable outer = new ASN1StreamParser(der).readObject();
        if (!(outer instanceof ASN1SequenceParser sequence)) {
            throw new IOException("not a CMS ContentInfo");
        }
        return CMSObjectIdentifiers.authEnvelopedData.equals(new ContentInfoParser(sequence).getContentType());
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

    private static byte[] open(KeyMatch match, boolean authenticated) throws CMSException, IOException {
        Recipient recipient = recipientFor(match, authenticated);
        try (InputStream content = match.recipient().getContentStream(recipient).getContentStream()) {
            return content.readAllBytes();
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
