package org.smimegw.core.cert;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/** Reads the attributes the certificate rules and the selection need from an X.509 certificate. */
public final class CertificateFacts {
    /** OID of the Extended Key Usage {@code emailProtection}. */
    public static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    /** OID of {@code anyExtendedKeyUsage}. */
    public static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;
    private static final int RFC822_NAME = 1;
    /**
     * Key usage, subject alternative name, basic constraints, name constraints, certificate policies, policy
     * mappings, policy constraints, extended key usage and inhibit anyPolicy.
     */
    private static final Set<String> HANDLED_CRITICAL_EXTENSIONS = Set.of("2.5.29.15", "2.5.29.17", "2.5.29.19",
            "2.5.29.30", "2.5.29.32", "2.5.29.33", "2.5.29.36", "2.5.29.37", "2.5.29.54");

    private static final Map<String, String> EXTENDED_KEY_USAGE_NAMES = Map.of(
            "1.3.6.1.5.5.7.3.1", "serverAuth", "1.3.6.1.5.5.7.3.2", "clientAuth", "1.3.6.1.5.5.7.3.3", "codeSigning",
            EMAIL_PROTECTION, "emailProtection", "1.3.6.1.5.5.7.3.8", "timeStamping", "1.3.6.1.5.5.7.3.9",
            "OCSPSigning", ANY_EXTENDED_KEY_USAGE, "anyExtendedKeyUsage");

    private CertificateFacts() {
    }

    private static final Map<String, String> EMAIL_KEYWORD =
            Map.of(PKCSObjectIdentifiers.pkcs_9_at_emailAddress.getId(), "emailAddress");

    public static String subject(X509Certificate certificate) {
        return name(certificate.getSubjectX500Principal());
    }

    public static String issuer(X509Certificate certificate) {
        return name(certificate.getIssuerX500Principal());
    }

    /**
     * RFC 2253, with the PKCS#9 e-mail attribute written {@code emailAddress=alice@example.com} rather than the
     * {@code 1.2.840.113549.1.9.1=#16...} RFC 2253 gives any attribute it has no keyword for.
     */
    public static String name(X500Principal principal) {
        return principal.getName(X500Principal.RFC2253, EMAIL_KEYWORD);
    }

    public static boolean isCa(X509Certificate certificate) {
        return certificate.getBasicConstraints() >= 0;
    }

    /** {@code RSA}, {@code EC}, or the JCA name of another algorithm (which the rules refuse). */
    public static String keyAlgorithm(X509Certificate certificate) {
        if (certificate.getPublicKey() instanceof RSAPublicKey) {
            return "RSA";
        }
        if (certificate.getPublicKey() instanceof ECPublicKey) {
            return "EC";
        }
        return certificate.getPublicKey().getAlgorithm();
    }

    /** The {@code rfc822Name} entries of the Subject Alternative Name, lower case, in order. */
    public static Set<String> subjectAltNameEmails(X509Certificate certificate) {
        return normalised(subjectAltNameRfc822Names(certificate));
    }

    /** The {@code rfc822Name} entries of the Subject Alternative Name exactly as the certificate spells them. */
    static List<String> subjectAltNameRfc822Names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    if (entry.size() >= 2 && Integer.valueOf(RFC822_NAME).equals(entry.get(0))
                            && entry.get(1) instanceof String name) {
                        names.add(name);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a malformed SAN carries no usable address; the rules then refuse the certificate
        }
        return names;
    }

    /** The legacy subject {@code emailAddress} attributes (RFC 8550 requires receivers to honour them). */
    public static Set<String> subjectEmailAddresses(X509Certificate certificate) {
        return normalised(subjectEmailAddressValues(certificate));
    }

    /** The legacy subject {@code emailAddress} attributes exactly as the certificate spells them. */
    static List<String> subjectEmailAddressValues(X509Certificate certificate) {
        List<String> values = new ArrayList<>();
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                ASN1ObjectIdentifier type = atv.getType();
                ASN1Encodable value = atv.getValue();
                if (PKCSObjectIdentifiers.pkcs_9_at_emailAddress.equals(type) && value instanceof ASN1String s) {
                    values.add(s.getString());
                }
            }
        }
        return values;
    }

    private static Set<String> normalised(List<String> addresses) {
        Set<String> emails = new LinkedHashSet<>();
        addresses.forEach(address -> emails.add(address.trim().toLowerCase(Locale.ROOT)));
        return emails;
    }

    /** Every address the certificate speaks for: SAN rfc822Name entries, then subject emailAddress. */
    public static Set<String> emailAddresses(X509Certificate certificate) {
        Set<String> emails = new LinkedHashSet<>(subjectAltNameEmails(certificate));
        emails.addAll(subjectEmailAddresses(certificate));
        return emails;
    }

    /** Whether the certificate carries the address, case-insensitively. */
    public static boolean carries(X509Certificate certificate, String address) {
        return emailAddresses(certificate).contains(address.trim().toLowerCase(Locale.ROOT));
    }

    /** Names of the Key Usage bits that are set, or an empty list when the extension is absent. */
    public static List<String> keyUsageNames(X509Certificate certificate) {
        String[] names = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
            "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
        boolean[] bits = certificate.getKeyUsage();
        List<String> set = new ArrayList<>();
        if (bits != null) {
            for (int i = 0; i < bits.length && i < names.length; i++) {
                if (bits[i]) {
                    set.add(names[i]);
                }
            }
        }
        return set;
    }

    /** The Extended Key Usage purposes by name where they have a well-known one, else as OIDs; empty when absent. */
    public static List<String> extendedKeyUsageNames(X509Certificate certificate) {
        List<String> oids = extendedKeyUsage(certificate);
        return oids == null ? List.of() : oids.stream().map(oid -> EXTENDED_KEY_USAGE_NAMES.getOrDefault(oid, oid))
                .toList();
    }

    /** The public key's size in bits: the RSA modulus, the EC field; 0 for another algorithm. */
    public static int keySize(X509Certificate certificate) {
        if (certificate.getPublicKey() instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (certificate.getPublicKey() instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        return 0;
    }

    /**
     * The purposes a client certificate's Key Usage allows. Without a Key Usage extension, none: the import
     * rules require one, and a certificate the rules refuse is never selected.
     */
    public static Set<KeyPurpose> purposes(X509Certificate certificate) {
        Set<KeyPurpose> purposes = EnumSet.noneOf(KeyPurpose.class);
        boolean[] bits = certificate.getKeyUsage();
        if (bits == null) {
            return purposes;
        }
        if (bit(bits, DIGITAL_SIGNATURE)) {
            purposes.add(KeyPurpose.SIGN);
        }
        String algorithm = keyAlgorithm(certificate);
        boolean encrypts = "EC".equals(algorithm)
                ? bit(bits, KEY_AGREEMENT) || bit(bits, KEY_ENCIPHERMENT)
                : bit(bits, KEY_ENCIPHERMENT);
        if (encrypts) {
            purposes.add(KeyPurpose.ENCRYPT);
        }
        return purposes;
    }

    /**
     * The OIDs of the extensions marked critical that the gateway does not handle, in ascending order. RFC 5280
     * §4.2 requires refusing such a certificate. The handled set is the one the JDK's PKIX validator, which judges
     * inbound signer paths, processes.
     */
    public static List<String> unsupportedCriticalExtensions(X509Certificate certificate) {
        Set<String> critical = certificate.getCriticalExtensionOIDs();
        if (critical == null) {
            return List.of();
        }
        return critical.stream().filter(oid -> !HANDLED_CRITICAL_EXTENSIONS.contains(oid)).sorted().toList();
    }

    /** Extended Key Usage OIDs, or {@code null} when the extension is absent. */
    public static List<String> extendedKeyUsage(X509Certificate certificate) {
        try {
            return certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static boolean bit(boolean[] bits, int index) {
        return bits.length > index && bits[index];
    }
}
