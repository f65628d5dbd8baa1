package org.smimegw.core.smime;

import java.io.IOException;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;

/**
 * Encrypts outbound messages to a list of recipient certificates: the entity (Content-* fields and body) becomes
 * application/pkcs7-mime enveloped-data (AES-CBC) or authEnveloped-data (AES-GCM, RFC 8551 §3.4), other header
 * fields are kept, {@code MIME-Version: 1.0} is added when missing. The content cipher and key transport come
 * from {@link SmimeAlgorithms}; AES runs on the JCA's own provider, not forced to Bouncy Castle. Each call
 * serialises its CMS output exactly once, so a content key and IV are never reused. Immutable and thread-safe.
 */
public final class SmimeEncryptor {
    private final SmimeAlgorithms algorithms;

    public SmimeEncryptor(SmimeAlgorithms algorithms) {
        this.algorithms = algorithms;
    }

    /**
     * @param recipients the certificates to encrypt to (the caller picks valid ones); identical certificates
     *     are used once; must not be empty
     * @throws IllegalArgumentException when {@code recipients} is empty
     * @throws SmimeException when a recipient key cannot be used or the encryption fails
     */
    public RawMessage encrypt(RawMessage message, List<X509Certificate> recipients) {
        return encrypt(message, message.entity(), recipients);
    }

    /**
     * As {@link #encrypt(RawMessage, List)}, with {@code content} as the encrypted entity instead of the message's own:
     * the same body with the header fields it protects (RFC 9788, docs/design.md §12).
     */
    public RawMessage encrypt(RawMessage message, RawMessage content, List<X509Certificate> recipients) {
        List<RecipientInfoGenerator> recipientInfos = RecipientInfos.forCertificates(recipients, algorithms);
        SmimeAlgorithms.ContentCipher cipher = algorithms.contentCipher();
        String what = "encrypt with " + cipher + " to " + recipients.size() + " recipient certificate(s)";
        Bytes body = SmimeParts.base64(content.body().spoolArea(), out -> {
            if (cipher.authenticated()) {
                writeAuthEnveloped(out, content, recipientInfos, cipher);
            } else {
                writeEnveloped(out, content, recipientInfos, cipher);
            }
        }, what);
        String smimeType = cipher.authenticated() ? "authEnveloped-data" : "enveloped-data";
        return SmimeParts.replaceEntity(message, SmimeParts.pkcs7Mime(smimeType, body));
    }

    private static void writeEnveloped(OutputStream out, RawMessage content, List<RecipientInfoGenerator> recipients,
            SmimeAlgorithms.ContentCipher cipher) throws IOException, CMSException {
        CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
        generator.setBufferSize(SmimeParts.BUFFER_SIZE);
        recipients.forEach(generator::addRecipientInfoGenerator);
        OutputEncryptor encryptor = new JceCMSContentEncryptorBuilder(cipher.oid()).build();
        try (OutputStream encrypted = generator.open(out, encryptor)) {
            content.writeTo(encrypted);
        }
    }

    private static void writeAuthEnveloped(OutputStream out, RawMessage content, List<RecipientInfoGenerator> recipients,
            SmimeAlgorithms.ContentCipher cipher) throws IOException, CMSException {
        CMSAuthEnvelopedDataStreamGenerator generator = new CMSAuthEnvelopedDataStreamGenerator();
        generator.setBufferSize(SmimeParts.BUFFER_SIZE);
        recipients.forEach(generator::addRecipientInfoGenerator);
        OutputEncryptor encryptor = new JceCMSContentEncryptorBuilder(cipher.oid()).build();
        if (!(encryptor instanceof OutputAEADEncryptor aead)) {
            throw new CMSException(cipher + " did not yield an AEAD encryptor");
        }
        try (OutputStream encrypted = generator.open(out, aead)) {
            content.writeTo(encrypted);
        }
    }
}
