package org.smimegw.core.cert;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The organisation's key pair made inside the gateway (docs/design.md §14): the key pair, the PKCS#10 request for a
 * CA, or a self-signed client certificate for trials. Both carry what §4 asks of an organisation certificate: the
 * address as the Subject Alternative Name, Key Usage (digitalSignature with keyEncipherment for RSA, with
 * keyAgreement for EC), the {@code emailProtection} Extended Key Usage, and CA:FALSE.
 */
public final class IdentityRequests {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The subject's e-mail attribute by the names operators write it with. */
    private static final Map<String, String> EMAIL_KEYWORDS = Map.of(
            "E", PKCSObjectIdentifiers.pkcs_9_at_emailAddress.getId(),
            "EMAILADDRESS", PKCSObjectIdentifiers.pkcs_9_at_emailAddress.getId());

    private IdentityRequests() {
    }

    /** The key algorithms a request may use; the word is how the command line and the store name it. */
    public enum Algorithm {
        RSA_3072("rsa-3072", "RSA", 3072, null, "SHA256withRSA"),
        RSA_2048("rsa-2048", "RSA", 2048, null, "SHA256withRSA"),
        EC_P256("ec-p256", "EC", 0, "secp256r1", "SHA256withECDSA"),
        EC_P384("ec-p384", "EC", 0, "secp384r1", "SHA384withECDSA");

        /** The algorithm when none is named. */
        public static final Algorithm DEFAULT = RSA_3072;

        private final String word;
        private final String keyAlgorithm;
        private final int bits;
        private final String curve;
        private final String signature;

        Algorithm(String word, String keyAlgorithm, int bits, String curve, String signature) {
            this.word = word;
            this.keyAlgorithm = keyAlgorithm;
            this.bits = bits;
            this.curve = curve;
            this.signature = signature;
        }

        public String word() {
            return word;
        }

        /** The algorithm a word names, in any case. */
        public static Optional<Algorithm> of(String word) {
            return Arrays.stream(values()).filter(a -> a.word.equalsIgnoreCase(word.strip())).findFirst();
        }

        /** {@code rsa-3072, rsa-2048, ec-p256 or ec-p384}, for messages that list them. */
        public static String words() {
            String all = Arrays.stream(values()).map(Algorithm::word).collect(Collectors.joining(", "));
            int last = all.lastIndexOf(", ");
            return all.substring(0, last) + " or " + all.substring(last + 2);
        }

        /** A new key pair from the platform's strong random source. */
        public KeyPair generate() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
                if (curve == null) {
                    generator.initialize(bits, RANDOM);
                } else {
                    generator.initialize(new ECGenParameterSpec(curve), RANDOM);
                }
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate a " + word + " key pair: " + e.getMessage(), e);
            }
        }

        private int keyUsage() {
            return KeyUsage.digitalSignature | ("EC".equals(keyAlgorithm) ? KeyUsage.keyAgreement
                    : KeyUsage.keyEncipherment);
        }
    }

    /** A key pair made for a request, and its request or self-signed certificate. */
    public record Made(KeyPair keyPair, Algorithm algorithm, X500Name subject, String email) {
        /** What a pending identity and an issued certificate are matched by. */
        public String id() {
            return publicKeyId(keyPair.getPublic());
        }
    }

    /**
     * The subject of a request: the DN given, written as RFC 4514 writes it (most specific first, e.g.
     * {@code CN=Helpdesk,O=Example Org,C=DE}, with {@code emailAddress} or {@code E} understood), or
     * {@code CN=<address>} when none is.
     *
     * @throws IllegalArgumentException naming the problem when the DN cannot be parsed or is empty
     */
    public static X500Name subject(String dn, String email) {
        if (dn == null) {
            return new X500NameBuilder().addRDN(BCStyle.CN, email).build();
        }
        X500Principal principal;
        try {
            principal = new X500Principal(dn, EMAIL_KEYWORDS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + dn + "' is not a distinguished name (e.g. CN=Helpdesk,O=Example"
                    + " Org,C=DE): " + e.getMessage(), e);
        }
        X500Name name = X500Name.getInstance(principal.getEncoded());
        if (name.getRDNs().length == 0) {
            throw new IllegalArgumentException("'" + dn + "' is an empty distinguished name");
        }
        return name;
    }

    /** A subject as the gateway shows names everywhere (RFC 2253, {@code emailAddress=} by name). */
    public static String shown(X500Name name) {
        try {
            return CertificateFacts.name(new X500Principal(name.getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the subject " + name + ": " + e.getMessage(), e);
        }
    }

    /** The lower-case hex SHA-256 of the key's SubjectPublicKeyInfo. */
    public static String publicKeyId(PublicKey key) {
        return Fingerprints.sha256(key.getEncoded());
    }

    /** A new key pair for a request. */
    public static Made make(Algorithm algorithm, X500Name subject, String email) {
        return new Made(algorithm.generate(), algorithm, subject, email.toLowerCase(Locale.ROOT));
    }

    /** The PKCS#10 request, signed by its key, with §4's extensions as an extension request. */
    public static PKCS10CertificationRequest request(Made made) {
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            for (Extension extension : extensions(made)) {
                extensions.addExtension(extension);
            }
            return new JcaPKCS10CertificationRequestBuilder(made.subject(), made.keyPair().getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(signer(made));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the certificate request: " + e.getMessage(), e);
        }
    }

    /** A self-signed client certificate (CA:FALSE) valid from now for {@code days} days. */
    public static X509Certificate selfSigned(Made made, Instant now, int days) {
        try {
            PublicKey publicKey = made.keyPair().getPublic();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(made.subject(),
                    new BigInteger(128, RANDOM), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(days))), made.subject(), publicKey);
            for (Extension extension : extensions(made)) {
                builder.addExtension(extension);
            }
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(made)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** A request or certificate as PEM text. */
    public static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM: " + e.getMessage(), e);
        }
        return text.toString();
    }

    private static List<Extension> extensions(Made made) throws IOException {
        return List.of(
                extension(Extension.basicConstraints, true, new BasicConstraints(false)),
                extension(Extension.keyUsage, true, new KeyUsage(made.algorithm().keyUsage())),
                extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection)),
                extension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, made.email()))));
    }

    private static Extension extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value)
            throws IOException {
        return new Extension(oid, critical, value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
    }

    private static ContentSigner signer(Made made) {
        try {
            return new JcaContentSignerBuilder(made.algorithm().signature).build(made.keyPair().getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with the new " + made.algorithm().word() + " key: "
                    + e.getMessage(), e);
        }
    }
}
