package org.smimegw.core.inbound;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.smimegw.core.testing.TestPki.Issued;

/** Builds S/MIME messages byte by byte for the inbound tests, with Bouncy Castle's CMS generators. */
final class TestMessages {
    static final String TEXT = "Hello Bob, this is signed.";
    static final byte[] TEXT_PART = ("Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n\r\n" + TEXT + "\r\n").getBytes(StandardCharsets.US_ASCII);
    static final String HEADERS = "From: Alice <alice@example.com>\r\nTo: bob@example.com\r\n"
            + "Subject: test\r\nMIME-Version: 1.0\r\n";
    static final String BOUNDARY = "----=_signed_boundary_1";

    private TestMessages() {
    }

    static CMSSignedData sign(byte[] content, Issued signer, List<X509Certificate> certificates, String algorithm,
            boolean encapsulate) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            if (signer != null) {
                generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                        new JcaDigestCalculatorProviderBuilder().build())
                        .build(new JcaContentSignerBuilder(algorithm).build(signer.key()), signer.certificate()));
            }
            generator.addCertificates(new JcaCertStore(certificates));
            return generator.generate(new CMSProcessableByteArray(content), encapsulate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] signedBy(Issued signer, List<X509Certificate> certificates) {
        return signedBy(HEADERS, signer, certificates);
    }

    static byte[] signedBy(String headers, Issued signer, List<X509Certificate> certificates) {
        return multipartSigned(headers, TEXT_PART, der(sign(TEXT_PART, signer, certificates, "SHA256withRSA", false)));
    }

    static byte[] multipartSigned(String headers, byte[] content, byte[] signatureDer) {
        return multipartSigned(headers, content, base64(signatureDer));
    }

    static byte[] multipartSigned(String headers, byte[] content, String signatureBody) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii(headers + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
                + " micalg=sha-256;\r\n boundary=\"" + BOUNDARY + "\"\r\n\r\n"
                + "This is an S/MIME signed message.\r\n\r\n--" + BOUNDARY + "\r\n"));
        out.writeBytes(content);
        out.writeBytes(ascii("\r\n--" + BOUNDARY + "\r\n"
                + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + signatureBody + "\r\n--" + BOUNDARY + "--\r\n"));
        return out.toByteArray();
    }

    static byte[] opaqueSigned(String headers, byte[] content, Issued signer, List<X509Certificate> certificates) {
        byte[] der = der(sign(content, signer, certificates, "SHA256withRSA", true));
        return pkcs7Mime(headers, "signed-data", der);
    }

    static byte[] pkcs7Mime(String headers, String smimeType, byte[] der) {
        return ascii(headers + "Content-Type: application/pkcs7-mime; name=smime.p7m; smime-type=" + smimeType
                + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64(der));
    }

    /** CMS EnvelopedData (AES-256-CBC) or AuthEnvelopedData (AES-256-GCM) to the recipient. */
    static byte[] envelopedDer(byte[] content, X509Certificate recipient, boolean gcm) {
        try {
            if (gcm) {
                CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
                generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient));
                OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(
                        CMSAlgorithm.AES256_GCM).build();
                return generator.generate(new CMSProcessableByteArray(content), encryptor).getEncoded();
            }
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient));
            return generator.generate(new CMSProcessableByteArray(content),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build()).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] der(CMSSignedData signed) {
        try {
            return signed.getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64(byte[] der) {
        return Base64.getMimeEncoder(64, new byte[] {'\r', '\n'}).encodeToString(der) + "\r\n";
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
