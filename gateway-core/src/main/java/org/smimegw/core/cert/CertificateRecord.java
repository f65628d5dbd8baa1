package org.smimegw.core.cert;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A stored certificate with the facts the gateway indexes: fingerprint, kind, source, e-mail addresses (lower case,
 * in the certificate's order), subject, issuer, serial, validity and key usage. Immutable; build it with {@link #of}.
 */
public record CertificateRecord(
        String fingerprint,
        CertificateKind kind,
        CertificateSource source,
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

    /** An imported certificate. */
    public static CertificateRecord of(X509Certificate certificate, CertificateKind kind) {
        return of(certificate, kind, CertificateSource.IMPORTED);
    }

    public static CertificateRecord of(X509Certificate certificate, CertificateKind kind, CertificateSource source) {
        return new CertificateRecord(
                Fingerprints.sha256(certificate),
                kind,
                source,
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

    /** A CA certificate the operator vouched for: the end of a trusted path (docs/design.md §4, §9). */
    public boolean anchor() {
        return kind == CertificateKind.CA && source.vouched();
    }

    /** A client certificate the operator vouched for: its signatures are trusted without a path. */
    public boolean trustedClient() {
        return kind == CertificateKind.CLIENT && source.vouched();
    }

    /** A client certificate that may be picked for outgoing mail: anything but a pending harvest. */
    public boolean usableClient() {
        return kind == CertificateKind.CLIENT && source != CertificateSource.PENDING;
    }

    /** The same certificate with another source. */
    public CertificateRecord withSource(CertificateSource newSource) {
        return new CertificateRecord(fingerprint, kind, newSource, emails, subject, issuer, serial, notBefore,
                notAfter, purposes, certificate);
    }
}
