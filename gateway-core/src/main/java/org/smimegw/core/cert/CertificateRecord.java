package org.smimegw.core.cert;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A stored certificate with the facts the gateway indexes: fingerprint, kind, e-mail addresses (lower case, in the
 * certificate's order), subject, issuer, serial, validity and key usage. Immutable; build it with {@link #of}.
 */
public record CertificateRecord(
        String fingerprint,
        CertificateKind kind,
        Set<String> emails,
        String subject,
        String issuer,
        BigInteger serial,
        Instant notBefore,
        Instant notAfter,
        Set<KeyPurpose> purposes,
        X509Certificate certificate) {

    public CertificateRecord {
        // the certificate's order (SAN first), so listings and audit lines are the same on every run
        emails = Collections.unmodifiableSet(new LinkedHashSet<>(emails));
        purposes = Set.copyOf(purposes);
    }

    public static CertificateRecord of(X509Certificate certificate, CertificateKind kind) {
        return new CertificateRecord(
                Fingerprints.sha256(certificate),
                kind,
                CertificateFacts.emailAddresses(certificate),
                CertificateFacts.subject(certificate),
                CertificateFacts.issuer(certificate),
                certificate.getSerialNumber(),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                CertificateFacts.purposes(certificate),
                certificate);
    }

    /** Serial number in lower-case hex, as in {@code body.smime-serial}. */
    public String serialHex() {
        return serial.toString(16);
    }

    public boolean validAt(Instant instant) {
        return !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }

    public boolean fits(KeyPurpose purpose) {
        return purposes.contains(purpose);
    }
}
