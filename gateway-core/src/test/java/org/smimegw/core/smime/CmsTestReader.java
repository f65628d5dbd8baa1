package org.smimegw.core.smime;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.util.Store;
import org.smimegw.core.mime.RawMessage;

/**
 * Reads S/MIME output with plain Bouncy Castle CMS classes and a deliberately simple MIME splitter, independent of
 * the code under test (the real inbound pipeline is written elsewhere).
 */
final class CmsTestReader {
    private CmsTestReader() {
    }

    /** The two parts of a multipart/signed body: the exact signed bytes and the DER signature. */
    record SignedParts(byte[] content, byte[] signature) {
    }

    /** What a verified signature yielded. */
    record Verified(SignerInformation signer, X509Certificate certificate, CMSSignedData signedData) {
        List<X509Certificate> certificates() throws Exception {
            List<X509Certificate> result = new ArrayList<>();
            Store<X509CertificateHolder> store = signedData.getCertificates();
            for (X509CertificateHolder holder : store.getMatches(null)) {
                result.add(new JcaX509CertificateConverter().getCertificate(holder));
            }
            return result;
        }
    }

    static String boundary(RawMessage message) throws Exception {
        return new ContentType(message.header("Content-Type").orElseThrow()).getParameter("boundary");
    }

    static SignedParts split(RawMessage message) throws Exception {
        byte[] body = message.body().toByteArray();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary(message);
        int first = text.startsWith(delimiter + "\r\n") ? 0 : text.indexOf("\r\n" + delimiter + "\r\n") + 2;
        int contentStart = first + delimiter.length() + 2;
        int contentEnd = text.indexOf("\r\n" + delimiter + "\r\n", contentStart);
        int signatureStart = contentEnd + 2 + delimiter.length() + 2;
        int signatureEnd = text.indexOf("\r\n" + delimiter + "--", signatureStart);
        byte[] content = Arrays.copyOfRange(body, contentStart, contentEnd);
        RawMessage signaturePart = RawMessage.parse(Arrays.copyOfRange(body, signatureStart, signatureEnd));
        return new SignedParts(content, Base64.getMimeDecoder().decode(signaturePart.body().toByteArray()));
    }

    /** Verifies the detached signature over the content; throws when it does not verify. */
    static Verified verifyDetached(byte[] content, byte[] signature) throws Exception {
        return verify(new CMSSignedData(new CMSProcessableByteArray(content), signature));
    }

    /** Verifies opaque signed-data and returns it; the encapsulated content is in {@code signedData()}. */
    static Verified verifyOpaque(byte[] der) throws Exception {
        return verify(new CMSSignedData(der));
    }

    private static Verified verify(CMSSignedData signedData) throws Exception {
        Collection<SignerInformation> signers = signedData.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new AssertionError("expected one signer, found " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = signedData.getCertificates().getMatches(signer.getSID());
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
        if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider("BC").build(certificate))) {
            throw new AssertionError("signature does not verify");
        }
        return new Verified(signer, certificate, signedData);
    }

    /** The DER inside an application/pkcs7-mime body. */
    static byte[] der(RawMessage message) {
        return Base64.getMimeDecoder().decode(message.body().toByteArray());
    }

    static ASN1ObjectIdentifier contentType(byte[] der) {
        return ContentInfo.getInstance(der).getContentType();
    }

    /** The recipient infos of enveloped or authEnveloped data. */
    static RecipientInformationStore recipients(byte[] der) throws Exception {
        return authenticated(der) ? new CMSAuthEnvelopedData(der).getRecipientInfos()
                : new CMSEnvelopedData(der).getRecipientInfos();
    }

    static String contentEncryptionOid(byte[] der) throws Exception {
        return authenticated(der) ? new CMSAuthEnvelopedData(der).getEncryptionAlgOID()
                : new CMSEnvelopedData(der).getEncryptionAlgOID();
    }

    /** Decrypts for the holder of key + certificate and returns the plaintext. */
    static byte[] decrypt(byte[] der, X509Certificate certificate, PrivateKey key) throws Exception {
        boolean auth = authenticated(der);
        X509CertificateHolder holder = new X509CertificateHolder(certificate.getEncoded());
        for (RecipientInformation info : recipients(der).getRecipients()) {
            if (!info.getRID().match(holder)) {
                continue;
            }
            boolean agree = info instanceof KeyAgreeRecipientInformation;
            Recipient recipient = agree
                    ? (auth ? new JceKeyAgreeAuthEnvelopedRecipient(key) : new JceKeyAgreeEnvelopedRecipient(key))
                            .setProvider("BC")
                    : (auth ? new JceKeyTransAuthEnvelopedRecipient(key) : new JceKeyTransEnvelopedRecipient(key))
                            .setProvider("BC");
            return info.getContent(recipient);
        }
        throw new AssertionError("no RecipientInfo for " + certificate.getSubjectX500Principal());
    }

    private static boolean authenticated(byte[] der) {
        return CMSObjectIdentifiers.authEnvelopedData.equals(contentType(der));
    }

    /** The decoded leaf contents of an entity, depth first, as an independent MIME implementation sees them. */
    static List<byte[]> decodedLeaves(byte[] entityBytes) throws Exception {
        List<byte[]> leaves = new ArrayList<>();
        collect(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(entityBytes)), leaves);
        return leaves;
    }

    private static void collect(Part part, List<byte[]> leaves) throws Exception {
        if (part.isMimeType("multipart/*")) {
            MimeMultipart multipart = (MimeMultipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i), leaves);
            }
        } else if (part.isMimeType("message/rfc822")) {
            collect((Part) part.getContent(), leaves);
        } else {
            try (InputStream in = part.getInputStream()) {
                leaves.add(in.readAllBytes());
            }
        }
    }
}
