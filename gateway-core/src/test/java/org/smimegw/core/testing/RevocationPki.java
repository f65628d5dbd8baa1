package org.smimegw.core.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** Certificates naming revocation sources, and CRLs and OCSP responses about them, made in the test. */
public final class RevocationPki {
    public static final String AIA = Extension.authorityInfoAccess.getId();
    public static final String CDP = Extension.cRLDistributionPoints.getId();

    private RevocationPki() {
    }

    /** A client certificate issued by the CA that names the OCSP responder and CRL distribution point, when given. */
    public static TestPki.Issued client(TestPki.Issued ca, String email, String ocspUrl, String crlUrl) {
        TestPki.Builder builder = TestPki.client(email).issuedBy(ca);
        if (ocspUrl != null) {
            builder.extension(AIA, false, new AuthorityInformationAccess(AccessDescription.id_ad_ocsp, uri(ocspUrl)));
        }
        if (crlUrl != null) {
            builder.extension(CDP, false, distributionPoints(crlUrl));
        }
        return builder.build();
    }

    /** A responder certificate the CA issues, with {@code id-kp-OCSPSigning} unless {@code withEku} is false. */
    public static TestPki.Issued responder(TestPki.Issued ca, boolean withEku) {
        TestPki.Builder builder = TestPki.certificate().subject(withEku ? "OCSP Responder" : "Responder without EKU",
                null).keyUsage(KeyUsage.digitalSignature).issuedBy(ca);
        return builder.eku(withEku ? new KeyPurposeId[] {KeyPurposeId.id_kp_OCSPSigning} : null).build();
    }

    public static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    public static CRLDistPoint distributionPoints(String... urls) {
        DistributionPoint[] points = new DistributionPoint[urls.length];
        for (int i = 0; i < urls.length; i++) {
            points[i] = new DistributionPoint(new DistributionPointName(new GeneralNames(uri(urls[i]))), null, null);
        }
        return new CRLDistPoint(points);
    }

    public static Crl crl(TestPki.Issued ca) {
        return new Crl(ca.certificate(), ca.key());
    }

    public static Ocsp ocsp(TestPki.Issued certificate, TestPki.Issued ca) {
        return new Ocsp(certificate.certificate(), ca);
    }

    /** A CRL, current around {@link TestPki#NOW} unless told otherwise. */
    public static final class Crl {
        private final X509Certificate issuer;
        private PrivateKey key;
        private Instant thisUpdate = TestPki.NOW.minusSeconds(3600);
        private Instant nextUpdate = TestPki.NOW.plusSeconds(7 * 86400);
        private final Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
        private final List<Extension> extensions = new ArrayList<>();

        private Crl(X509Certificate issuer, PrivateKey key) {
            this.issuer = issuer;
            this.key = key;
        }

        public Crl revoke(X509Certificate certificate, Instant at) {
            return revoke(certificate.getSerialNumber(), at);
        }

        public Crl revoke(BigInteger serial, Instant at) {
            revoked.put(serial, at);
            return this;
        }

        /** The CRL as the JDK parses it. */
        public X509CRL x509() {
            try {
                return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der()));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        public Crl updates(Instant issued, Instant next) {
            thisUpdate = issued;
            nextUpdate = next;
            return this;
        }

        /** Signs with another key while keeping the issuer's name, as a forger would. */
        public Crl signedWith(PrivateKey other) {
            key = other;
            return this;
        }

        public Crl extension(Extension extension) {
            extensions.add(extension);
            return this;
        }

        public byte[] der() {
            try {
                X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(issuer.getSubjectX500Principal(),
                        Date.from(thisUpdate));
                if (nextUpdate != null) {
                    builder.setNextUpdate(Date.from(nextUpdate));
                }
                revoked.forEach((serial, at) -> builder.addCRLEntry(serial, Date.from(at), CRLReason.keyCompromise));
                for (Extension extension : extensions) {
                    builder.addExtension(extension);
                }
                return builder.build(new JcaContentSignerBuilder(TestPki.signatureAlgorithm(key)).build(key))
                        .getEncoded();
            } catch (Exception e) {
                throw new IllegalStateException("cannot build test CRL: " + e.getMessage(), e);
            }
        }
    }

    /** An OCSP response about one certificate, good and current at {@link TestPki#NOW} unless told otherwise. */
    public static final class Ocsp {
        private final X509Certificate certificate;
        private final TestPki.Issued ca;
        private TestPki.Issued signer;
        private BigInteger serial;
        private CertificateStatus status = CertificateStatus.GOOD;
        private Instant thisUpdate = TestPki.NOW.minusSeconds(600);
        private Instant nextUpdate = TestPki.NOW.plusSeconds(86400);
        private boolean includeSigner;

        private Ocsp(X509Certificate certificate, TestPki.Issued ca) {
            this.certificate = certificate;
            this.ca = ca;
            this.signer = ca;
        }

        public Ocsp revoked(Instant at) {
            status = new RevokedStatus(Date.from(at), CRLReason.keyCompromise);
            return this;
        }

        public Ocsp unknown() {
            status = new UnknownStatus();
            return this;
        }

        public Ocsp updates(Instant issued, Instant next) {
            thisUpdate = issued;
            nextUpdate = next;
            return this;
        }

        /** Signed by this certificate's key, which is included in the response. */
        public Ocsp signedBy(TestPki.Issued responder) {
            signer = responder;
            includeSigner = true;
            return this;
        }

        /** About another serial of the same CA. */
        public Ocsp aboutSerial(BigInteger other) {
            serial = other;
            return this;
        }

        public byte[] der() {
            try {
                CertificateID id = new CertificateID(
                        new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                        new JcaX509CertificateHolder(ca.certificate()),
                        serial != null ? serial : certificate.getSerialNumber());
                BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(
                        new RespID(new JcaX509CertificateHolder(signer.certificate()).getSubject()));
                builder.addResponse(id, status, Date.from(thisUpdate), nextUpdate == null ? null
                        : Date.from(nextUpdate));
                X509CertificateHolder[] chain = includeSigner
                        ? new X509CertificateHolder[] {new JcaX509CertificateHolder(signer.certificate())}
                        : null;
                String algorithm = TestPki.signatureAlgorithm(signer.key());
                BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder(algorithm).build(signer.key()), chain,
                        Date.from(thisUpdate));
                return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("cannot build test OCSP response: " + e.getMessage(), e);
            }
        }

        /** A response with only a status, such as {@link OCSPRespBuilder#TRY_LATER}. */
        public static byte[] status(int status) {
            try {
                return new OCSPRespBuilder().build(status, null).getEncoded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
