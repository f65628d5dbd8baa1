package org.smimegw.core.cert;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the certificate to use for one address and purpose at one instant: among the usable client certificates
 * (docs/design.md §9: not a pending harvest) whose Key Usage fits the purpose and which pass the client rules, the one
 * valid at that instant and not refused by the {@link Usability} check (revocation), with the latest {@code notAfter}.
 * Expired, not-yet-valid and revoked certificates never block a valid one; when no certificate is usable, the reason
 * names the closest miss. Stateless and thread-safe.
 */
public final class CertificateSelector {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    /** Judges a certificate that is valid in its dates; {@link #ANY} refuses none. */
    @FunctionalInterface
    public interface Usability {
        Usability ANY = record -> Optional.empty();

        /** Why the certificate must not be used (e.g. "revoked on 2026-05-01"), or empty. */
        Optional<String> refusal(CertificateRecord record);
    }

    private CertificateSelector() {
    }

    /** By dates and rules alone. */
    public static Selection select(List<CertificateRecord> candidates, KeyPurpose purpose, Instant at) {
        return select(candidates, purpose, at, Usability.ANY);
    }

    /**
     * @param candidates the stored certificates for the address (any kind, any validity, any case)
     * @param usability asked about the valid candidates, best first, until one is not refused
     */
    public static Selection select(List<CertificateRecord> candidates, KeyPurpose purpose, Instant at,
            Usability usability) {
        List<CertificateRecord> fitting = candidates.stream()
                .filter(CertificateRecord::usableClient)
                .filter(c -> c.fits(purpose))
                .filter(c -> CertificateRules.clientRefusal(c.certificate()) == null)
                .toList();
        List<CertificateRecord> valid = fitting.stream()
                .filter(c -> c.validAt(at))
                .sorted(Comparator.comparing(CertificateRecord::notAfter)
                        .thenComparing(CertificateRecord::notBefore).reversed())
                .toList();
        String firstRefusal = null;
        for (CertificateRecord candidate : valid) {
            Optional<String> refusal = usability.refusal(candidate);
            if (refusal.isEmpty()) {
                return new Selection.Selected(candidate);
            }
            firstRefusal = firstRefusal == null ? refusal.get() : firstRefusal;
        }
        if (firstRefusal != null) {
            return new Selection.Unavailable(firstRefusal);
        }
        if (fitting.isEmpty()) {
            boolean anyClient = candidates.stream().anyMatch(CertificateRecord::usableClient);
            return new Selection.Unavailable(anyClient
                    ? "no certificate for " + (purpose == KeyPurpose.SIGN ? "signing" : "encryption")
                    : pendingOnly(candidates) ? "only a pending certificate, not yet approved" : "no certificate");
        }
        Optional<CertificateRecord> latestExpired = fitting.stream()
                .filter(c -> c.notAfter().isBefore(at))
                .max(Comparator.comparing(CertificateRecord::notAfter));
        if (latestExpired.isPresent()) {
            return new Selection.Unavailable("expired on " + DAY.format(latestExpired.get().notAfter()));
        }
        CertificateRecord earliestFuture = fitting.stream()
                .min(Comparator.comparing(CertificateRecord::notBefore)).orElseThrow();
        return new Selection.Unavailable("not yet valid (from " + DAY.format(earliestFuture.notBefore()) + ")");
    }

    private static boolean pendingOnly(List<CertificateRecord> candidates) {
        return candidates.stream().anyMatch(c -> c.source() == CertificateSource.PENDING);
    }
}
