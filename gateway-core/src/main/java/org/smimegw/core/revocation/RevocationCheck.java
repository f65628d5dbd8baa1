package org.smimegw.core.revocation;

import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.cert.ocsp.CertificateID;
import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.port.RevocationStore;

/**
 * The revocation checks of one message (docs/design.md §9), made by {@link RevocationChecker#begin} or
 * {@link RevocationChecker#stored}. For each certificate, in this order: a current stored OCSP answer; a current
 * stored CRL of its issuer that covers it; then, when fetching, its OCSP responders and its CRL distribution points,
 * each verified answer saved in the store. The first that answers decides. A certificate that names no source and
 * whose issuer has no stored CRL is {@link RevocationStatus.NoSource}; one whose sources gave no current answer is
 * {@link RevocationStatus.Unknown}, with every source's reason. Bad network data never throws; a store failure does.
 * A certificate asked about twice is looked at once. Not thread-safe: one per message.
 */
public final class RevocationCheck {
    private final RevocationStore store;
    private final RevocationSettings settings;
    /** Null when this check does not fetch. */
    private final HttpFetcher fetcher;
    private final Instant at;
    private final Instant deadline;
    private final String notFetched;
    private final Map<String, RevocationStatus> seen = new HashMap<>();
    private final Set<String> notes = new LinkedHashSet<>();

    RevocationCheck(RevocationStore store, RevocationSettings settings, HttpFetcher fetcher, Instant at,
            Instant deadline, String notFetched) {
        this.store = store;
        this.settings = settings;
        this.fetcher = fetcher;
        this.at = at;
        this.deadline = deadline;
        this.notFetched = notFetched;
    }

    /**
     * The status of the certificate at this check's instant.
     *
     * @param certificate a certificate whose path to a stored anchor is established, so that the URLs it names, which
     *     the check may ask, are its CA's
     * @param issuer the certificate that issued it, trusted by the caller (a stored CA certificate, or one on a path
     *     to one), or null when it is not known; without it only a stored OCSP answer can tell
     */
    public RevocationStatus status(X509Certificate certificate, X509Certificate issuer) {
        if (settings.mode() == RevocationMode.OFF) {
            return new RevocationStatus.NotChecked();
        }
        String key = Fingerprints.sha256(certificate) + (issuer == null ? "" : "/" + Fingerprints.sha256(issuer));
        RevocationStatus status = seen.get(key);
        if (status == null) {
            status = look(certificate, issuer);
            seen.put(key, status);
        }
        if (status instanceof RevocationStatus.Unknown unknown) {
            notes.add("no revocation status for " + CertificateFacts.subject(certificate) + " (serial "
                    + certificate.getSerialNumber().toString(16) + "): " + unknown.why());
        }
        return status;
    }

    /** Whether statuses are looked at at all ({@code revocation.check} is not {@code off}). */
    public boolean checks() {
        return settings.mode() != RevocationMode.OFF;
    }

    /** A certificate of a path that must not be used or trusted: its place in the path and its status. */
    public record Blocked(int index, RevocationStatus status) {
    }

    /**
     * The first of the first {@code checked} certificates of {@code path} (a certificate, then its issuers up) that is
     * revoked, or whose status is unknown under {@code revocation.check=hard}; each is asked about with the next as
     * its issuer (the last with none). Empty when none is, and always under {@code off}.
     */
    public Optional<Blocked> firstBlocked(List<X509Certificate> path, int checked) {
        for (int i = 0; i < checked; i++) {
            RevocationStatus status = status(path.get(i), i + 1 < path.size() ? path.get(i + 1) : null);
            if (status.blocks(settings.mode())) {
                return Optional.of(new Blocked(i, status));
            }
        }
        return Optional.empty();
    }

    /** One line per certificate whose status came out unknown, for the audit log; no line twice. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    private RevocationStatus look(X509Certificate certificate, X509Certificate issuer) {
        String fingerprint = Fingerprints.sha256(certificate);
        Sources sources = Sources.of(certificate);
        // answers are saved only from the responders a certificate names: one that names none has none to read
        Optional<OcspAnswer> answer = sources.ocsp().isEmpty() ? Optional.empty()
                : store.ocsp(fingerprint).filter(stored -> stored.currentAt(at));
        if (answer.isPresent()) {
            return judged(answer.get().revoked() ? answer.get().revokedAt() : null,
                    "OCSP responder " + answer.get().responder());
        }
        Optional<StoredCrl> storedCrl = issuer == null ? Optional.empty()
                : store.crl(Fingerprints.sha256(issuer));
        if (sources.none() && storedCrl.isEmpty()) {
            return new RevocationStatus.NoSource();
        }
        if (issuer == null) {
            return new RevocationStatus.Unknown("issuer certificate not stored");
        }
        List<String> reasons = new ArrayList<>();
        if (storedCrl.isPresent()) {
            RevocationStatus status = fromCrl(storedCrl.get(), certificate, "the stored CRL of "
                    + storedCrl.get().issuer(), reasons);
            if (status != null) {
                return status;
            }
        }
        List<String> ocspUrls = sources.ocsp().stream().filter(Sources::isHttp).toList();
        List<String> crlUrls = sources.crlUrls().stream().filter(Sources::isHttp).toList();
        if (fetcher == null && !(ocspUrls.isEmpty() && crlUrls.isEmpty())) {
            reasons.add("its http:// sources were not asked: " + notFetched);
        } else if (fetcher != null) {
            for (String url : ocspUrls) {
                RevocationStatus status = askOcsp(url, certificate, issuer, fingerprint, reasons);
                if (status != null) {
                    return status;
                }
            }
            for (String url : crlUrls) {
                RevocationStatus status = fetchCrl(url, certificate, issuer, reasons);
                if (status != null) {
                    return status;
                }
            }
        }
        if (!sources.notHttp().isEmpty() && ocspUrls.isEmpty() && crlUrls.isEmpty()) {
            reasons.add("only http:// is fetched, and it names " + String.join(", ", sources.notHttp()));
        }
        if (reasons.isEmpty()) {
            reasons.add("it names no source the gateway can ask");
        }
        return new RevocationStatus.Unknown(String.join("; ", reasons));
    }

    private RevocationStatus askOcsp(String url, X509Certificate certificate, X509Certificate issuer,
            String fingerprint, List<String> reasons) {
        CertificateID id = OcspResponses.id(certificate, issuer);
        HttpFetcher.Fetched fetched = fetcher.post(url, OcspResponses.request(id), OcspResponses.REQUEST_TYPE,
                OcspResponses.MAX_BYTES, deadline);
        if (fetched instanceof HttpFetcher.Fetched.Failed failed) {
            reasons.add("OCSP responder " + url + " " + failed.reason());
            return null;
        }
        byte[] response = ((HttpFetcher.Fetched.Body) fetched).bytes();
        OcspResponses.Outcome outcome = OcspResponses.read(response, id, issuer, at);
        if (outcome instanceof OcspResponses.Outcome.Refused refused) {
            if (refused.remember()) {
                fetcher.failed(url, refused.reason());
            }
            reasons.add("OCSP responder " + url + " " + refused.reason());
            return null;
        }
        OcspResponses.Outcome.Answered answer = (OcspResponses.Outcome.Answered) outcome;
        if (answer.nextUpdate() != null) {
            store.saveOcsp(new OcspAnswer(fingerprint, answer.revoked(), answer.revokedAt(), answer.thisUpdate(),
                    answer.nextUpdate(), url, response));
        }
        return judged(answer.revoked() ? answer.revokedAt() : null, "OCSP responder " + url);
    }

    private RevocationStatus fetchCrl(String url, X509Certificate certificate, X509Certificate issuer,
            List<String> reasons) {
        HttpFetcher.Fetched fetched = fetcher.get(url, settings.maxCrlBytes(), deadline);
        if (fetched instanceof HttpFetcher.Fetched.Failed failed) {
            reasons.add("CRL distribution point " + url + " " + failed.reason());
            return null;
        }
        StoredCrl crl;
        try {
            crl = CrlVerifier.verify(((HttpFetcher.Fetched.Body) fetched).bytes(), url, List.of(issuer), at,
                    settings.maxCrlBytes());
        } catch (CrlRejected e) {
            fetcher.failed(url, "its CRL was refused: " + e.getMessage());
            reasons.add("CRL from " + url + " refused: " + e.getMessage());
            return null;
        }
        store.saveCrl(crl);
        return fromCrl(crl, certificate, "the CRL from " + url, reasons);
    }

    /** What the verified CRL says about the certificate, or null (with the reason added) when it says nothing. */
    private RevocationStatus fromCrl(StoredCrl crl, X509Certificate certificate, String what, List<String> reasons) {
        String outOfScope = CrlVerifier.outOfScope(crl.crl(), certificate);
        if (outOfScope != null) {
            reasons.add(what + " does not cover it: " + outOfScope);
            return null;
        }
        if (!crl.currentAt(at)) {
            reasons.add(what + " " + Freshness.whyNot(crl.thisUpdate(), crl.nextUpdate(), at));
            return null;
        }
        X509CRLEntry entry = crl.crl().getRevokedCertificate(certificate.getSerialNumber());
        return judged(entry == null ? null : entry.getRevocationDate().toInstant(),
                "CRL of " + crl.issuer() + " (" + crl.origin() + ")");
    }

    /** Revoked when a revocation is known from {@code at} or before; a later one does not count yet. */
    private RevocationStatus judged(Instant revokedAt, String source) {
        return revokedAt != null && !revokedAt.isAfter(at)
                ? new RevocationStatus.Revoked(revokedAt, source) : new RevocationStatus.Good(source);
    }
}
