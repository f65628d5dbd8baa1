package org.smimegw.smtp.operations;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.outbound.CertificateLookup;
import org.smimegw.core.revocation.RevocationCheck;
import org.smimegw.core.revocation.RevocationChecker;
import org.smimegw.core.revocation.RevocationStatus;

/**
 * A stored certificate's revocation status as listings show it ({@code cert list}, the admin page), from the stored
 * CRLs and cached OCSP answers only: a listing never waits for the network (docs/design.md §9). Not thread-safe; one
 * per listing.
 */
public final class CertificateStatus {
    private final CertificateLookup lookup;
    private final RevocationCheck check;

    public CertificateStatus(CertificateLookup lookup, RevocationChecker revocation, Instant at) {
        this.lookup = lookup;
        this.check = revocation.stored(at);
    }

    public RevocationStatus revocation(CertificateRecord record) {
        X509Certificate certificate = record.certificate();
        List<X509Certificate> chain = lookup.chain(certificate);
        return check.status(certificate, chain.isEmpty() ? null : chain.get(0));
    }

    /** {@code revocation=<word>}, with {@code  revokedAt=<date>} when revoked: the words of {@code cert list}. */
    public static String fields(RevocationStatus status) {
        return "revocation=" + status.word() + (status instanceof RevocationStatus.Revoked revoked
                ? " revokedAt=" + CertificateLines.date(revoked.revokedAt()) : "");
    }
}
