package org.smimegw.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * RSA-2048 certificates for the benchmarks, valid from an hour before {@code now} for a year: a CA and e-mail
 * certificates (digitalSignature + keyEncipherment, emailProtection) that pass the gateway's import rules.
 */
public final class BenchPki {
    private final Instant now;
    private final SecureRandom random = new SecureRandom();

    public BenchPki(Instant now) {
        this.now = now;
    }

    /** A certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
    }

    public Issued ca(String name) throws GeneralSecurityException {
        KeyPair pair = rsa();
        X500Name subject = new X500Name("CN=" + name + ",O=S/MIME Gateway bench");
        X509v3CertificateBuilder builder = builder(subject, subject, pair);
        extension(builder, Extension.basicConstraints, true, new BasicConstraints(true));
        extension(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(sign(builder, pair.getPrivate()), pair.getPrivate());
    }

    public Issued person(String name, String email, Issued issuer) throws GeneralSecurityException {
        KeyPair pair = rsa();
        X500Name subject = new X500Name("CN=" + name + ",O=S/MIME Gateway bench");
        X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder builder = builder(issuerName, subject, pair);
        extension(builder, Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        extension(builder, Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
        extension(builder, Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        return new Issued(sign(builder, issuer.key()), pair.getPrivate());
    }

    /** Writes certificates and keys (keys as unencrypted PKCS#8) as PEM, for openssl. */
    public static Path writePem(Path file, Object... objects) throws IOException {
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            for (Object object : objects) {
                writer.writeObject(object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
            }
        }
        return file;
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
                pair.getPublic());
    }

    private static void extension(X509v3CertificateBuilder builder, ASN1ObjectIdentifier oid, boolean critical,
            ASN1Encodable value) throws GeneralSecurityException {
        try {
            builder.addExtension(oid, critical, value);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode extension " + oid, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign certificate", e);
        }
    }

    private KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        return generator.generateKeyPair();
    }
}
