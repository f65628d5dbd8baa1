package org.smimegw.core.cert;

import java.security.cert.X509Certificate;
import java.util.List;

import org.smimegw.core.mime.MailboxSyntax;

/**
 * The import rules of docs/design.md §4.1. No certificate may carry a critical extension the gateway does not handle
 * (RFC 5280 §4.2). A certificate with Basic Constraints {@code CA:TRUE} is a CA certificate and none of the client
 * checks apply. Every other certificate is a client certificate and needs, all of: a Subject Alternative Name with
 * an e-mail address, and every address it names well-formed; Key Usage with digitalSignature and/or
 * keyEncipherment (keyAgreement counts for EC); an RSA or EC public key; and, if Extended Key Usage is present,
 * emailProtection. Validity is not a rule: expired certificates may be stored to read old mail. Stateless and
 * thread-safe.
 */
public final class CertificateRules {
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

    private CertificateRules() {
    }

    public static ImportDecision classify(X509Certificate certificate) {
        boolean ca = CertificateFacts.isCa(certificate);
        String refusal = ca ? criticalExtensionRefusal(certificate) : clientRefusal(certificate);
        if (refusal != null) {
            return new ImportDecision.Rejected(refusal);
        }
        return new ImportDecision.Accepted(ca ? CertificateKind.CA : CertificateKind.CLIENT);
    }

    /** The first client rule the certificate breaks, or {@code null} when it is a valid client certificate. */
    public static String clientRefusal(X509Certificate certificate) {
        String critical = criticalExtensionRefusal(certificate);
        if (critical != null) {
            return critical;
        }
        String algorithm = CertificateFacts.keyAlgorithm(certificate);
        if (!"RSA".equals(algorithm) && !"EC".equals(algorithm)) {
            return "public key algorithm " + algorithm + " is neither RSA nor EC";
        }
        if (CertificateFacts.subjectAltNameEmails(certificate).isEmpty()) {
            return certificate.getExtensionValue(SUBJECT_ALT_NAME) != null
                    ? "Subject Alternative Name has no e-mail address (rfc822Name)"
                    : "no Subject Alternative Name with an e-mail address (rfc822Name)";
        }
        String address = malformedAddressRefusal(certificate);
        if (address != null) {
            return address;
        }
        if (certificate.getKeyUsage() == null) {
            return "no Key Usage extension (digitalSignature or keyEncipherment required)";
        }
        if (CertificateFacts.purposes(certificate).isEmpty()) {
            List<String> present = CertificateFacts.keyUsageNames(certificate);
            return ("EC".equals(algorithm)
                    ? "Key Usage has none of digitalSignature, keyEncipherment, keyAgreement"
                    : "Key Usage has neither digitalSignature nor keyEncipherment")
                    + (present.isEmpty() ? "" : " (only " + String.join(", ", present) + ")");
        }
        List<String> eku = CertificateFacts.extendedKeyUsage(certificate);
        if (eku != null && !eku.contains(CertificateFacts.EMAIL_PROTECTION)) {
            return "Extended Key Usage lacks emailProtection (1.3.6.1.5.5.7.3.4)";
        }
        return null;
    }

    private static String criticalExtensionRefusal(X509Certificate certificate) {
        List<String> unsupported = CertificateFacts.unsupportedCriticalExtensions(certificate);
        if (unsupported.isEmpty()) {
            return null;
        }
        return (unsupported.size() == 1 ? "unsupported critical extension " : "unsupported critical extensions ")
                + String.join(", ", unsupported);
    }

    private static String malformedAddressRefusal(X509Certificate certificate) {
        for (String name : CertificateFacts.subjectAltNameRfc822Names(certificate)) {
            if (!MailboxSyntax.isMailbox(name)) {
                return "invalid e-mail address in Subject Alternative Name: " + PrintableText.quoted(name);
            }
        }
        for (String value : CertificateFacts.subjectEmailAddressValues(certificate)) {
            if (!MailboxSyntax.isMailbox(value)) {
                return "invalid e-mail address in subject emailAddress: " + PrintableText.quoted(value);
            }
        }
        return null;
    }
}
