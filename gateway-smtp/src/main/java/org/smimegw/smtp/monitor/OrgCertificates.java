package org.smimegw.smtp.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PrivateKeyRepository;

/**
 * The organisation certificates (every stored certificate that has a private key) and which of them need renewing:
 * those that end within the warning window, or have ended, and have no replacement for every one of their
 * addresses. A replacement for an address is another organisation certificate carrying it that ends after the window
 * and starts no later than the expiring one ends (or now, for one already expired). Thread-safe.
 */
final class OrgCertificates {
    private static final long SECONDS_PER_DAY = 86_400;

    /**
     * One organisation certificate.
     *
     * @param needsRenewal expiring within the window (or expired) with some address not replaced
     */
    record Status(CertificateRecord certificate, boolean needsRenewal) {

        /** Whole days left at {@code now}, rounded down; negative once expired. */
        long daysLeft(Instant now) {
            return Math.floorDiv(Duration.between(now, certificate.notAfter()).getSeconds(), SECONDS_PER_DAY);
        }

        /** Days left at {@code now} with their fraction, for the gauge. */
        double exactDaysLeft(Instant now) {
            return Duration.between(now, certificate.notAfter()).toMillis() / (SECONDS_PER_DAY * 1000.0);
        }

        boolean expired(Instant now) {
            return now.isAfter(certificate.notAfter());
        }
    }

    private final CertificateDirectory certificates;
    private final PrivateKeyRepository keys;

    OrgCertificates(CertificateDirectory certificates, PrivateKeyRepository keys) {
        this.certificates = certificates;
        this.keys = keys;
    }

    /** Every organisation certificate, ordered by fingerprint, judged at {@code now}. */
    List<Status> statuses(Instant now, int warningDays) {
        List<CertificateRecord> org = new ArrayList<>();
        for (String fingerprint : keys.certificateFingerprints()) {
            certificates.findByFingerprint(fingerprint).ifPresent(org::add);
        }
        Instant horizon = now.plus(Duration.ofDays(warningDays));
        List<Status> statuses = new ArrayList<>();
        for (CertificateRecord certificate : org) {
            boolean expiring = !certificate.notAfter().isAfter(horizon);
            statuses.add(new Status(certificate, expiring && !replaced(certificate, org, now, horizon)));
        }
        return statuses;
    }

    private static boolean replaced(CertificateRecord expiring, List<CertificateRecord> org, Instant now,
            Instant horizon) {
        Instant takeOverBy = expiring.notAfter().isAfter(now) ? expiring.notAfter() : now;
        for (String address : expiring.emails()) {
            Optional<CertificateRecord> successor = org.stream()
                    .filter(c -> !c.fingerprint().equals(expiring.fingerprint()))
                    .filter(c -> c.emails().contains(address))
                    .filter(c -> c.notAfter().isAfter(horizon) && !c.notBefore().isAfter(takeOverBy))
                    .findFirst();
            if (successor.isEmpty()) {
                return false;
            }
        }
        return !expiring.emails().isEmpty();
    }
}
