package org.smimegw.core.cert;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
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
            throw new CertificateFileException("unreadable certificate: " + e.getMessage());
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

        static List<Object> read(byte[] bytes) {
            List<Object> objects = new ArrayList<>();
            try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(bytes),
                    StandardCharsets.ISO_8859_1))) {
                Object object;
                while ((object = parser.readObject()) != null) {
                    objects.add(object);
                }
            } catch (IOException | RuntimeException e) {
                throw new CertificateFileException("malformed PEM: " + e.getMessage());
            }
            return objects;
        }
    }
}
