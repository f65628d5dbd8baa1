package org.smimegw.core.cert;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The import rules of DESIGN.md §4. A certificate with Basic Constraints {@code CA:TRUE} is a CA certificate and
 * none of the client checks apply. Every other certificate is a client certificate and needs, all of:
 * a Subject Alternative Name with an e-mail address; Key Usage with digitalSignature and/or keyEncipherment
 * (keyAgreement counts for EC); an RSA or EC public key; and, if Extended Key Usage is present, emailProtection.
 * Validity is not a rule: expired certificates may be stored to read old mail. Stateless and thread-safe.
 */
public final class CertificateRules {
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

    private CertificateRules() {
    }

    public static ImportDecision classify(X509Certificate certificate) {
        if (CertificateFacts.isCa(certificate)) {
            return new ImportDecision.Accepted(CertificateKind.CA);
        }
        String refusal = clientRefusal(certificate);
        return refusal == null
                ? new ImportDecision.Accepted(CertificateKind.CLIENT)
                : new ImportDecision.Rejected(refusal);
    }

    /** The first client rule the certificate breaks, or {@code null} when it is a valid client certificate. */
    public static String clientRefusal(X509Certificate certificate) {
        String algorithm = CertificateFacts.keyAlgorithm(certificate);
        if (!"RSA".equals(algorithm) && !"EC".equals(algorithm)) {
            return "public key algorithm " + algorithm + " is neither RSA nor EC";
        }
        if (CertificateFacts.subjectAltNameEmails(certificate).isEmpty()) {
            return certificate.getExtensionValue(SUBJECT_ALT_NAME) != null
                    ? "Subject Alternative Name has no e-mail address (rfc822Name)"
                    : "no Subject Alternative Name with an e-mail address (rfc822Name)";
        }
        if (certificate.getKeyUsage() == null) {
            return "no Key Usage extension (digitalSignature or keyEncipherment required)";
        }
        if (CertificateFacts.purposes(certificate).isEmpty()) {
            return "EC".equals(algorithm)
                    ? "Key Usage has none of digitalSignature, keyEncipherment, keyAgreement"
                    : "Key Usage has neither digitalSignature nor keyEncipherment";
        }
        List<String> eku = CertificateFacts.extendedKeyUsage(certificate);
        if (eku != null && !eku.contains(CertificateFacts.EMAIL_PROTECTION)) {
            return "Extended Key Usage lacks emailProtection (1.3.6.1.5.5.7.3.4)";
        }
        return null;
    }
}
