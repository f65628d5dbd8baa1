package org.smimegw.core.cert;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads certificates from the bytes of a file: PEM with one or many blocks (CERTIFICATE, PKCS7), DER X.509, or a
 * DER PKCS#7 bundle. Other PEM blocks (keys) are skipped. Throws {@link CertificateFileException} with a reason
 * when no certificate can be read.
 */
public final class CertificateFileReader {
    private static final CertificateFactory X509 = x509Factory();

    private CertificateFileReader() {
    }

    public static List<X509Certificate> read(byte[] bytes) {
        if (PemObjects.looksLikePem(bytes)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Object object : PemObjects.read(bytes)) {
                certificates.addAll(certificatesIn(object));
            }
            if (certificates.isEmpty()) {
                throw new CertificateFileException("no certificate found in the PEM blocks");
            }
            return certificates;
        }
        try {
            Collection<? extends java.security.cert.Certificate> parsed =
                    X509.generateCertificates(new ByteArrayInputStream(bytes));
            List<X509Certificate> certificates = new ArrayList<>();
            for (java.security.cert.Certificate c : parsed) {
                certificates.add((X509Certificate) c);
            }
            if (!certificates.isEmpty()) {
                return certificates;
            }
        } catch (CertificateException | RuntimeException e) {
            // not DER X.509 or PKCS#7; reported below
        }
        throw new CertificateFileException("no certificate found (not PEM, DER or PKCS#7)");
    }

    /** The certificates a parsed PEM object holds (a certificate or a PKCS#7 bundle); none for other objects. */
    static List<X509Certificate> certificatesIn(Object object) {
        List<X509Certificate> result = new ArrayList<>();
        try {
            if (object instanceof X509CertificateHolder holder) {
                result.add(toX509(holder));
            } else if (object instanceof ContentInfo info) {
                for (X509CertificateHolder holder : new CMSSignedData(info).getCertificates().getMatches(null)) {
                    result.add(toX509(holder));
                }
            }
        } catch (CMSException | IOException | CertificateException e) {
            throw new CertificateFileException("a certificate or PKCS#7 bundle in the file cannot be decoded");
        }
        return result;
    }

    static X509Certificate toX509(X509CertificateHolder holder) throws IOException, CertificateException {
        return (X509Certificate) X509.generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    }

    private static CertificateFactory x509Factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 is not available", e);
        }
    }

    /** Reads every PEM object in the bytes. */
    static final class PemObjects {
        private PemObjects() {
        }

        static boolean looksLikePem(byte[] bytes) {
            return new String(bytes, 0, Math.min(bytes.length, 65536), StandardCharsets.ISO_8859_1)
                    .contains("-----BEGIN ");
        }

        /**
         * Parses block by block, so a refusal names the block (counted from 1) that is broken rather than quoting
         * the parser: one bad block refuses the whole file, since a damaged file is suspect.
         */
        static List<Object> read(byte[] bytes) {
            List<Object> objects = new ArrayList<>();
            try (PemReader reader = new PemReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                    StandardCharsets.ISO_8859_1))) {
                for (int block = 1; ; block++) {
                    PemObject pem = nextBlock(reader, block);
                    if (pem == null) {
                        return objects;
                    }
                    objects.add(parse(pem, block));
                }
            } catch (IOException e) {
                throw new CertificateFileException("malformed PEM: cannot read the text");
            }
        }

        private static PemObject nextBlock(PemReader reader, int block) {
            try {
                return reader.readPemObject();
            } catch (IOException | RuntimeException e) {
                // bad base64 is a DecoderException, which PemReader wraps in an IOException
                boolean base64 = e instanceof DecoderException || e.getCause() instanceof DecoderException;
                throw new CertificateFileException("malformed PEM: block " + block + (base64 ? " is not valid base64"
                        : " has no matching END line or a malformed BEGIN line"));
            }
        }

        private static Object parse(PemObject pem, int block) {
            String type = pem.getType();
            StringWriter text = new StringWriter();
            try (PemWriter writer = new PemWriter(text)) {
                writer.writeObject(pem);
            } catch (IOException e) {
                throw new IllegalStateException("writing to memory failed", e);
            }
            try (PEMParser parser = new PEMParser(new StringReader(text.toString()))) {
                return parser.readObject();
            } catch (IOException | RuntimeException e) {
                throw new CertificateFileException("malformed PEM: block " + block + " of type "
                        + PrintableText.quoted(type) + " cannot be decoded");
            }
        }
    }
}
