package org.smimegw.core.outbound;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRules;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.RecipientDirectory;

/**
 * Looks up the certificates of a recipient without a usable stored one (docs/design.md §10): in each configured
 * {@link RecipientDirectory} in turn (LDAP, then DNS), within one time budget. What is found is checked as an import
 * would check it (§4: a client certificate, not a CA; it carries the address; valid at the processing instant), then
 * stored with its source and audited ({@code cert.lookup}); the lookup selection then applies revocation (§9). A
 * miss, and a directory that cannot be asked, is remembered for the negative TTL, so a missing or unreachable
 * recipient costs one lookup per TTL, not one per message. Thread-safe.
 */
public final class RecipientDiscovery {
    /** At most this many certificates are stored from one answer; a hostile entry may hold hundreds. */
    static final int MOST_KEPT = 10;
    private static final Logger LOG = LoggerFactory.getLogger(RecipientDiscovery.class);

    private final List<RecipientDirectory> directories;
    private final CertificateDirectory store;
    private final AuditLog audit;
    private final Duration negativeTtl;
    /** Lower-case address → the instant until which a lookup is not repeated. */
    private final Map<String, Instant> misses = new ConcurrentHashMap<>();

    /**
     * @param directories asked in this order; empty for no lookups
     * @param negativeTtl how long a miss is remembered ({@code lookup.negative.ttl})
     */
    public RecipientDiscovery(List<RecipientDirectory> directories, CertificateDirectory store, AuditLog audit,
            Duration negativeTtl) {
        this.directories = List.copyOf(directories);
        this.store = store;
        this.audit = audit;
        this.negativeTtl = negativeTtl;
    }

    /** No directory: nothing is ever looked up. */
    public static RecipientDiscovery none() {
        return new RecipientDiscovery(List.of(), null, null, Duration.ZERO);
    }

    /** What a lookup did: how many certificates it stored, and what to say about it (a miss, a failure, refusals). */
    public record Outcome(int stored, List<String> notes) {
        public Outcome {
            notes = List.copyOf(notes);
        }
    }

    /**
     * Looks the address up unless a miss for it is remembered.
     *
     * @param at the processing instant (validity, the negative cache)
     * @param budget the longest all directories together may take
     */
    public Outcome discover(String address, Instant at, Duration budget) {
        if (directories.isEmpty()) {
            return new Outcome(0, List.of());
        }
        String key = address.toLowerCase(Locale.ROOT);
        Instant missUntil = misses.get(key);
        if (missUntil != null && at.isBefore(missUntil)) {
            return new Outcome(0, List.of("no certificate found by lookup (remembered until " + missUntil + ")"));
        }
        long deadline = System.nanoTime() + budget.toNanos();
        List<String> notes = new ArrayList<>();
        for (RecipientDirectory directory : directories) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                notes.add(directory.source().word() + ": not asked, lookup.timeout used up");
                continue;
            }
            List<X509Certificate> found;
            try {
                found = directory.find(address, Duration.ofNanos(remaining));
            } catch (RecipientDirectory.LookupFailure e) {
                LOG.warn("certificate lookup for {} in {}: {}", address, directory.source().word(), e.getMessage());
                notes.add(directory.source().word() + ": " + e.getMessage());
                continue;
            }
            int stored = keep(address, found, directory, at, notes);
            if (stored > 0) {
                return new Outcome(stored, notes);
            }
        }
        misses.put(key, at.plus(negativeTtl));
        notes.add(0, "no usable certificate found by lookup");
        return new Outcome(0, notes);
    }

    /** Stores the acceptable certificates of an answer (at most {@link #MOST_KEPT}); how many are usable now. */
    private int keep(String address, List<X509Certificate> found, RecipientDirectory directory, Instant at,
            List<String> notes) {
        int usable = 0;
        int refused = 0;
        for (X509Certificate certificate : found) {
            String refusal = refusal(certificate, address, at);
            if (refusal != null) {
                refused++;
                continue;
            }
            if (usable == MOST_KEPT) {
                break;
            }
            usable++;
            String fingerprint = Fingerprints.sha256(certificate);
            if (store.findByFingerprint(fingerprint).isEmpty()) {
                store.add(certificate, CertificateKind.CLIENT, directory.source());
                audit.record(new AuditEvent(at, "cert.lookup", fingerprint, directory.source().word(),
                        "for " + address + " notAfter=" + certificate.getNotAfter().toInstant()));
            }
        }
        if (refused > 0) {
            notes.add(directory.source().word() + ": " + refused + " certificate" + (refused == 1 ? "" : "s")
                    + " not usable for " + address);
        }
        return usable;
    }

    /** Why a found certificate is not kept: the import rules of docs/design.md §4, the address, the dates. */
    static String refusal(X509Certificate certificate, String address, Instant at) {
        if (CertificateFacts.isCa(certificate)) {
            return "a CA certificate";
        }
        String rules = CertificateRules.clientRefusal(certificate);
        if (rules != null) {
            return rules;
        }
        if (!CertificateFacts.carries(certificate, address)) {
            return "not for " + address;
        }
        if (at.isBefore(certificate.getNotBefore().toInstant()) || at.isAfter(certificate.getNotAfter().toInstant())) {
            return "not valid now";
        }
        return null;
    }
}
