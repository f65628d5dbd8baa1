package org.smimegw.core.inbound;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateRules;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.CertificateDirectory;

/**
 * Keeps contacts' certificates from the mail they send (docs/design.md §9). Only the signer certificate that carries
 * the single From address is ever stored, and only when it is not a CA certificate, passes the client rules (§4) and
 * is valid at the processing instant: as {@code harvested} from a passing message, as {@code pending} (under
 * {@link HarvestMode#PENDING}) from one that failed only for want of an anchor. The CA certificates of a passing
 * signer's path are stored as {@code path} material, never as anchors. A harvest never changes a stored certificate,
 * except that a pending one whose signer later passes becomes harvested. Every certificate stored is an audit event
 * ({@code cert.harvest}). A store that fails only loses the harvest, never the message. Thread-safe.
 */
public final class Harvester {
    private static final Logger LOG = LoggerFactory.getLogger(Harvester.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final HarvestMode mode;
    private final CertificateDirectory directory;
    private final AuditLog audit;

    public Harvester(HarvestMode mode, CertificateDirectory directory, AuditLog audit) {
        this.mode = mode;
        this.directory = directory;
        this.audit = audit;
    }

    /**
     * Keeps what the mode allows of the candidate.
     *
     * @param messageId the message's id, for the audit events
     * @return a phrase for the message's own audit event ({@code harvested <fp>}, {@code not harvested: <why>}), or
     *     empty when there was nothing to say
     */
    public Optional<String> harvest(HarvestCandidate candidate, String messageId, Instant at) {
        if (mode == HarvestMode.OFF || !candidate.trusted() && mode != HarvestMode.PENDING) {
            return Optional.empty();
        }
        X509Certificate certificate = candidate.certificate();
        String refusal = refusal(certificate, candidate.fromAddress(), at);
        if (refusal != null) {
            return Optional.of("not harvested: " + refusal);
        }
        try {
            return Optional.ofNullable(store(candidate, messageId, at));
        } catch (RuntimeException e) {
            LOG.warn("certificate of {} not harvested: {}", candidate.fromAddress(), e.getMessage());
            LOG.debug("harvest failed", e);
            return Optional.of("not harvested: certificate store unavailable");
        }
    }

    private static String refusal(X509Certificate certificate, String from, Instant at) {
        if (CertificateFacts.isCa(certificate)) {
            return "the signer certificate is a CA certificate";
        }
        String rules = CertificateRules.clientRefusal(certificate);
        if (rules != null) {
            return rules;
        }
        if (at.isBefore(certificate.getNotBefore().toInstant()) || at.isAfter(certificate.getNotAfter().toInstant())) {
            return "the signer certificate is not valid now";
        }
        return CertificateFacts.carries(certificate, from) ? null : "the signer certificate does not carry " + from;
    }

    private String store(HarvestCandidate candidate, String messageId, Instant at) {
        CertificateSource source = candidate.trusted() ? CertificateSource.HARVESTED : CertificateSource.PENDING;
        String fingerprint = Fingerprints.sha256(candidate.certificate());
        Optional<CertificateRecord> stored = directory.findByFingerprint(fingerprint);
        CertificateRecord record;
        if (stored.isEmpty()) {
            record = directory.add(candidate.certificate(), CertificateKind.CLIENT, source);
        } else if (stored.get().source() == CertificateSource.PENDING && source == CertificateSource.HARVESTED) {
            record = directory.changeSource(fingerprint, source).orElseThrow();
        } else {
            return null;
        }
        List<String> path = new ArrayList<>();
        for (X509Certificate intermediate : candidate.intermediates()) {
            if (CertificateFacts.isCa(intermediate)
                    && directory.findByFingerprint(Fingerprints.sha256(intermediate)).isEmpty()) {
                CertificateRecord kept = directory.add(intermediate, CertificateKind.CA, CertificateSource.PATH);
                audit.record(new AuditEvent(at, "cert.harvest", kept.fingerprint(), CertificateSource.PATH.word(),
                        kept.subject() + " on the path of " + fingerprint));
                path.add(kept.fingerprint());
            }
        }
        audit.record(new AuditEvent(at, "cert.harvest", fingerprint, record.source().word(),
                candidate.fromAddress() + " notAfter=" + DAY.format(record.notAfter()) + " message=" + messageId
                        + (path.isEmpty() ? "" : " path=" + String.join(",", path))));
        return record.source().word() + " " + fingerprint;
    }
}
