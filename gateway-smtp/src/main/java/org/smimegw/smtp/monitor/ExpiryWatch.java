package org.smimegw.smtp.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.cert.CertificateRecord;

/**
 * Warns in the log about organisation certificates that need renewing ({@link OrgCertificates}): one WARN line per
 * certificate that ends within {@code cert.expiry.warning.days} or has ended, with no replacement for its addresses.
 * Checks at {@link #start} and then every {@link #PERIOD}; the same certificate is warned about at most once per
 * {@link #REPEAT_AFTER}. Importing a renewed certificate and key silences it. Thread-safe.
 */
final class ExpiryWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryWatch.class);
    static final Duration PERIOD = Duration.ofHours(1);
    static final Duration REPEAT_AFTER = Duration.ofDays(1);
    private static final int SHOWN_FINGERPRINT = 16;

    private final OrgCertificates org;
    private final int warningDays;
    private final Clock clock;
    private final Map<String, Instant> warnedAt = new HashMap<>();
    private ScheduledExecutorService executor;

    ExpiryWatch(OrgCertificates org, int warningDays, Clock clock) {
        this.org = org;
        this.warningDays = warningDays;
        this.clock = clock;
    }

    /** Checks now on {@code executor}, then every {@link #PERIOD}; {@link #close} shuts the executor down. */
    synchronized void start(ScheduledExecutorService executor) {
        if (this.executor != null) {
            throw new IllegalStateException("expiry watch already started");
        }
        this.executor = executor;
        executor.scheduleAtFixedRate(this::checkQuietly, 0, PERIOD.toSeconds(), TimeUnit.SECONDS);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            // the store may be down; the next check tries again, and /health says so meanwhile
            LOG.warn("cannot check organisation certificates for expiry: {}", e.toString());
        }
    }

    /**
     * Looks at every organisation certificate once and warns about those that need renewing and were not warned
     * about within {@link #REPEAT_AFTER}.
     *
     * @return how many warnings were logged
     */
    synchronized int check() {
        Instant now = clock.instant();
        List<OrgCertificates.Status> statuses = org.statuses(now, warningDays);
        Set<String> due = new HashSet<>();
        int warned = 0;
        for (OrgCertificates.Status status : statuses) {
            String fingerprint = status.certificate().fingerprint();
            if (!status.needsRenewal()) {
                continue;
            }
            due.add(fingerprint);
            Instant last = warnedAt.get(fingerprint);
            if (last == null || !now.isBefore(last.plus(REPEAT_AFTER))) {
                warn(status, now);
                warnedAt.put(fingerprint, now);
                warned++;
            }
        }
        // renewed or deleted: a later expiry of the same certificate (restored, say) warns at once again
        warnedAt.keySet().retainAll(due);
        return warned;
    }

    private static void warn(OrgCertificates.Status status, Instant now) {
        CertificateRecord certificate = status.certificate();
        String fingerprint = certificate.fingerprint().substring(0, SHOWN_FINGERPRINT);
        String addresses = String.join(",", certificate.emails());
        long days = status.daysLeft(now);
        if (status.expired(now)) {
            LOG.warn("organisation certificate {} for {} expired {} ({} days ago) and no valid certificate replaces"
                    + " it: mail from these addresses cannot be signed; renew with 'smime-gateway key request' (or"
                    + " import a renewed certificate and key with 'smime-gateway key import FILE')", fingerprint,
                    addresses, certificate.notAfter(), -days);
        } else {
            LOG.warn("organisation certificate {} for {} expires {} ({} days left) and no renewed certificate"
                    + " replaces it: renew before then with 'smime-gateway key request' (or import a renewed"
                    + " certificate and key with 'smime-gateway key import FILE'), or mail from these addresses can"
                    + " no longer be signed", fingerprint, addresses, certificate.notAfter(), days);
        }
    }

    /** Stops the periodic check. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
