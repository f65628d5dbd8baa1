package org.smimegw.core.cert;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the certificate to use for one address and purpose at one instant: among the client certificates whose
 * Key Usage fits the purpose and which pass the client rules, the one valid at that instant with the latest
 * {@code notAfter}. Expired and not-yet-valid certificates never block a valid one; when no certificate is
 * valid, the reason names the closest miss. Stateless and thread-safe.
 */
public final class CertificateSelector {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private CertificateSelector() {
    }

    /** @param candidates the stored certificates for the address (any kind, any validity, any case). */
    public static Selection select(List<CertificateRecord> candidates, KeyPurpose purpose, Instant at) {
        List<CertificateRecord> fitting = candidates.stream()
                .filter(c -> c.kind() == CertificateKind.CLIENT)
                .filter(c -> c.fits(purpose))
                .filter(c -> CertificateRules.clientRefusal(c.certificate()) == null)
                .toList();
        Optional<CertificateRecord> best = fitting.stream()
                .filter(c -> c.validAt(at))
                .max(Comparator.comparing(CertificateRecord::notAfter)
                        .thenComparing(CertificateRecord::notBefore));
        if (best.isPresent()) {
            return new Selection.Selected(best.get());
        }
        if (fitting.isEmpty()) {
            boolean anyClient = candidates.stream().anyMatch(c -> c.kind() == CertificateKind.CLIENT);
            return new Selection.Unavailable(anyClient
                    ? "no certificate for " + (purpose == KeyPurpose.SIGN ? "signing" : "encryption")
                    : "no certificate");
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
}
