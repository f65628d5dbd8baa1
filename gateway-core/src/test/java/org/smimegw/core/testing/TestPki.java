package org.smimegw.core.testing;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.smimegw.core.smime.CryptoProviders;

/**
 * Generates keys and certificates for tests, with validity around the pinned instant {@link #NOW}.
 * Key pairs come from a small pool so that a test run does not spend its time generating RSA keys.
 */
public final class TestPki {
    /** The instant every test judges validity at. */
    public static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private static final List<KeyPair> RSA_POOL = new ArrayList<>();
    private static final List<KeyPair> EC_POOL = new ArrayList<>();
    private static int rsaNext;
    private static int ecNext;

    static {
        CryptoProviders.installBouncyCastle();
    }

    private TestPki() {
    }

    /** A certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
        public KeyPair keyPair() {
            return new KeyPair(certificate.getPublicKey(), key);
        }
    }

    public static synchronized KeyPair rsaKeyPair() {
        return next(RSA_POOL, 12, rsaNext++, "RSA");
    }

    public static synchronized KeyPair ecKeyPair() {
        return next(EC_POOL, 8, ecNext++, "EC");
    }

    /** A fresh RSA key pair, never shared with another certificate (for forgery tests). */
    public static KeyPair freshRsaKeyPair() {
        return generate("RSA");
    }

    private static KeyPair next(List<KeyPair> pool, int size, int index, String algorithm) {
        if (pool.size() < size) {
            pool.add(generate(algorithm));
            return pool.get(pool.size() - 1);
        }
        return pool.get(index % size);
    }

    private static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if ("EC".equals(algorithm)) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A root CA valid a year either side of {@link #NOW}. */
    public static Issued ca(String commonName) {
        return certificate().subject(commonName, null).ca().build();
    }

    /** A client certificate for the addresses with KU digitalSignature+keyEncipherment and EKU emailProtection. */
    public static Builder client(String... emails) {
        return certificate().subject(emails.length > 0 ? emails[0] : "nobody", null).san(emails)
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
                .eku(KeyPurposeId.id_kp_emailProtection);
    }

    public static Builder certificate() {
        return new Builder();
    }

    /** The algorithm test certificates, CRLs and OCSP responses are signed with: SHA-256 with the key's algorithm. */
    public static String signatureAlgorithm(PrivateKey key) {
        return "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    }

    /** Writes certificates and private keys (as PKCS#8, which names the EC curve for openssl) as PEM. */
    public static Path writePem(Path file, Object... objects) {
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            for (Object object : objects) {
                if (object instanceof PrivateKey key) {
                    writer.writeObject(new JcaPKCS8Generator(key, null));
                } else {
                    writer.writeObject(object);
                }
            }
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Builds one certificate; every setter is optional. */
    public static final class Builder {
        private String commonName = "test";
        private String subjectEmail;
        private String[] sanEmails = new String[0];
        private Integer keyUsage;
        private KeyPurposeId[] eku;
        private boolean ca;
        private Instant notBefore = NOW.minus(Duration.ofDays(365));
        private Instant notAfter = NOW.plus(Duration.ofDays(365));
        private KeyPair keyPair;
        private boolean ec;
        private Issued issuer;
        private BigInteger serial;
        private String signatureAlgorithm;
        private final List<Extension> extensions = new ArrayList<>();

        public Builder subject(String cn, String email) {
            this.commonName = cn;
            this.subjectEmail = email;
            return this;
        }

        public Builder san(String... emails) {
            this.sanEmails = emails;
            return this;
        }

        /** Key Usage bits from {@link KeyUsage}; {@code null} omits the extension. */
        public Builder keyUsage(Integer bits) {
            this.keyUsage = bits;
            return this;
        }

        /** Extended Key Usage; {@code null} omits the extension. */
        public Builder eku(KeyPurposeId... purposes) {
            this.eku = purposes;
            return this;
        }

        public Builder ca() {
            this.ca = true;
            this.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
            this.eku = null;
            this.sanEmails = new String[0];
            return this;
        }

        public Builder valid(Instant from, Instant until) {
            this.notBefore = from;
            this.notAfter = until;
            return this;
        }

        public Builder ec() {
            this.ec = true;
            return this;
        }

        public Builder keyPair(KeyPair pair) {
            this.keyPair = pair;
            return this;
        }

        public Builder issuedBy(Issued issuingCa) {
            this.issuer = issuingCa;
            return this;
        }

        public Builder serial(BigInteger value) {
            this.serial = value;
            return this;
        }

        public Builder signatureAlgorithm(String algorithm) {
            this.signatureAlgorithm = algorithm;
            return this;
        }

        /** An extra extension, e.g. an unknown one marked critical. */
        public Builder extension(String oid, boolean critical, ASN1Encodable value) {
            try {
                extensions.add(new Extension(new ASN1ObjectIdentifier(oid), critical,
                        value.toASN1Primitive().getEncoded(ASN1Encoding.DER)));
                return this;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        public Issued build() {
            try {
                KeyPair pair = keyPair != null ? keyPair : ec ? ecKeyPair() : rsaKeyPair();
                X500NameBuilder nameBuilder = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName);
                if (subjectEmail != null) {
                    nameBuilder.addRDN(BCStyle.EmailAddress, subjectEmail);
                }
                X500Name subject = nameBuilder.build();
                X500Name issuerName = issuer == null ? subject
                        : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
                PrivateKey signingKey = issuer == null ? pair.getPrivate() : issuer.key();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                        serial != null ? serial : BigInteger.valueOf(SERIAL.incrementAndGet()),
                        Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.subjectKeyIdentifier, false,
                        utils.createSubjectKeyIdentifier(pair.getPublic()));
                if (issuer != null) {
                    builder.addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(issuer.certificate()));
                }
                if (ca) {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                }
                if (keyUsage != null) {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                }
                if (eku != null) {
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
                }
                if (sanEmails.length > 0) {
                    GeneralName[] names = new GeneralName[sanEmails.length];
                    for (int i = 0; i < sanEmails.length; i++) {
                        names[i] = new GeneralName(GeneralName.rfc822Name, sanEmails[i]);
                    }
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                }
                for (Extension extension : extensions) {
                    builder.addExtension(extension);
                }
                String algorithm = signatureAlgorithm != null ? signatureAlgorithm
                        : TestPki.signatureAlgorithm(signingKey);
                X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
                return new Issued(certificate, pair.getPrivate());
            } catch (Exception e) {
                throw new IllegalStateException("cannot build test certificate: " + e.getMessage(), e);
            }
        }
    }
}
