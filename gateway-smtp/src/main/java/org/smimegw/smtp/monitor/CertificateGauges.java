package org.smimegw.smtp.monitor;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The certificate gauges: {@code smimegw_org_certificate_expiry_days{fingerprint,email}}, the days (with fraction) left
 * per organisation certificate, negative once expired; and {@code smimegw_org_certificates_expiring}, how many of them need
 * renewing ({@link OrgCertificates}). The set of certificates is read through a {@link Cached} list;
 * {@link #refresh} brings the per-certificate rows up to date before a scrape. Thread-safe.
 */
final class CertificateGauges {
    /** The fingerprint tag: long enough to tell certificates apart, short enough to read. */
    static final int TAG_FINGERPRINT = 16;

    private final Cached<List<OrgCertificates.Status>> statuses;
    private final Clock clock;
    private final MultiGauge days;
    private List<OrgCertificates.Status> shown;

    CertificateGauges(MeterRegistry registry, Cached<List<OrgCertificates.Status>> statuses, Clock clock) {
        this.statuses = statuses;
        this.clock = clock;
        this.days = MultiGauge.builder("smimegw.org.certificate.expiry.days")
                .description("days left until an organisation certificate (one with a private key) expires;"
                        + " negative once expired")
                .register(registry);
        Gauge.builder("smimegw.org.certificates.expiring", statuses,
                        s -> s.get().map(l -> (double) l.stream().filter(OrgCertificates.Status::needsRenewal).count())
                                .orElse(Double.NaN))
                .description("organisation certificates expiring within cert.expiry.warning.days (or expired)"
                        + " with no later replacement for their addresses")
                .strongReference(true)
                .register(registry);
    }

    /** Registers one row per organisation certificate as the cached list has them now. */
    synchronized void refresh() {
        List<OrgCertificates.Status> current = statuses.get().orElse(List.of());
        if (current.equals(shown)) {
            return;
        }
        shown = current;
        days.register(current.stream().map(status -> MultiGauge.Row.of(Tags.of(
                        "fingerprint", status.certificate().fingerprint().substring(0, TAG_FINGERPRINT),
                        "email", String.join(",", status.certificate().emails())),
                status, s -> s.exactDaysLeft(clock.instant()))).toList(), true);
    }
}
