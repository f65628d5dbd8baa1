package org.smimegw.core.cert;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PendingKeys;
import org.smimegw.core.port.PrivateKeyRepository;

/**
 * Imports, approves and deletes certificates and organisation keys under the rules of docs/design.md §4 and §9, and
 * audits each change. Importing a certificate the gateway harvested, kept pending or kept as path material makes it
 * an imported one: the operator vouches for it. Thread-safe when its ports are.
 */
public final class CertificateAdmin {
    private final CertificateDirectory directory;
    private final PrivateKeyRepository keys;
    private final PendingKeys pending;
    private final AuditLog audit;
    private final Clock clock;

    public CertificateAdmin(CertificateDirectory directory, PrivateKeyRepository keys, PendingKeys pending,
            AuditLog audit, Clock clock) {
        this.directory = directory;
        this.keys = keys;
        this.pending = pending;
        this.audit = audit;
        this.clock = clock;
    }

    /** What happened to one imported certificate or key. */
    public sealed interface Outcome {
        /**
         * @param alreadyStored the certificate was stored and vouched for (imported or approved) before
         * @param expired it is past its notAfter: stored, for old mail, but never used for outgoing mail (§4)
         * @param completed the pending request (§14) this certificate was issued for, now an identity with its key
         */
        record Imported(CertificateRecord certificate, boolean alreadyStored, boolean expired,
                Optional<PendingKeys.Pending> completed) implements Outcome {
            public Imported(CertificateRecord certificate) {
                this(certificate, false, false, Optional.empty());
            }
        }

        record Rejected(String reason) implements Outcome {
        }
    }

    /**
     * Classifies the certificate and stores it as CA or client, or rejects it naming the attribute. A certificate
     * issued for a pending request (its public key is the request's) completes that identity: it must pass the
     * client rules and carry the requested address, or it is refused and the request stays pending (§14).
     */
    public Outcome importCertificate(X509Certificate certificate, String source) {
        ImportDecision decision = CertificateRules.classify(certificate);
        Optional<PendingKeys.Pending> request = pending.find(IdentityRequests.publicKeyId(certificate.getPublicKey()));
        if (request.isPresent()) {
            return complete(certificate, decision, request.get(), source);
        }
        if (decision instanceof ImportDecision.Rejected rejected) {
            record("cert.import", Fingerprints.sha256(certificate), "rejected", source + ": " + rejected.reason());
            return new Outcome.Rejected(rejected.reason());
        }
        boolean alreadyStored = directory.findByFingerprint(Fingerprints.sha256(certificate))
                .filter(known -> known.source().vouched()).isPresent();
        CertificateRecord stored = vouched(directory.add(certificate, ((ImportDecision.Accepted) decision).kind()));
        record("cert.import", stored.fingerprint(), alreadyStored ? "already stored" : "imported",
                (source + ": " + stored.kind().word() + " " + String.join(",", stored.emails())).strip());
        return new Outcome.Imported(stored, alreadyStored, stored.notAfter().isBefore(clock.instant()),
                Optional.empty());
    }

    /** The certificate issued for a pending request: the identity it completes, or a refusal that keeps the request. */
    private Outcome complete(X509Certificate certificate, ImportDecision decision, PendingKeys.Pending request,
            String source) {
        String fingerprint = Fingerprints.sha256(certificate);
        String refusal = null;
        if (decision instanceof ImportDecision.Rejected rejected) {
            refusal = rejected.reason();
        } else if (CertificateFacts.isCa(certificate)) {
            refusal = "it is a CA certificate (Basic Constraints CA:TRUE); an organisation key needs a client"
                    + " certificate";
        } else if (!CertificateFacts.subjectAltNameEmails(certificate).contains(request.email())) {
            refusal = "it carries " + String.join(",", CertificateFacts.subjectAltNameEmails(certificate))
                    + ", not the requested " + request.email();
        }
        Optional<PrivateKey> key = pending.privateKey(request.id());
        if (refusal == null && key.isEmpty()) {
            refusal = "the pending request was deleted meanwhile";
        }
        if (refusal != null) {
            String reason = "certificate for the pending request " + request.id().substring(0, 16) + " ("
                    + request.email() + ") refused: " + refusal + "; the request stays pending";
            record("cert.import", fingerprint, "rejected", source + ": " + reason);
            return new Outcome.Rejected(reason);
        }
        CertificateRecord stored = vouched(directory.add(certificate, CertificateKind.CLIENT));
        keys.put(stored.fingerprint(), key.get());
        pending.delete(request.id());
        record("key.request", stored.fingerprint(), "completed", source + ": " + String.join(",", stored.emails())
                + " request " + request.id());
        return new Outcome.Imported(stored, false, stored.notAfter().isBefore(clock.instant()), Optional.of(request));
    }

    /**
     * Stores a key pair made inside the gateway as a pending identity (§14), once its request has been written out.
     * Says which stored identities already serve the address (a renewal), if any.
     *
     * @return the fingerprints of the address's current identities: certificates with a key, valid now
     */
    public List<String> addPending(IdentityRequests.Made made, String source) {
        PendingKeys.Pending request = new PendingKeys.Pending(made.id(), made.email(),
                IdentityRequests.shown(made.subject()),
                made.algorithm().word(), made.keyPair().getPublic(), clock.instant());
        pending.add(request, made.keyPair().getPrivate());
        List<String> current = directory.findByEmail(made.email()).stream()
                .filter(c -> c.validAt(clock.instant()) && keys.find(c.fingerprint()).isPresent())
                .map(CertificateRecord::fingerprint).toList();
        record("key.request", request.id(), "requested", source + ": " + made.email() + " " + made.algorithm().word()
                + (current.isEmpty() ? "" : " renewing " + String.join(",", current)));
        return current;
    }

    /** Deletes a pending request and its key; returns whether it was pending. */
    public boolean deletePending(String id) {
        boolean deleted = pending.delete(id);
        if (deleted) {
            record("key.request", id, "deleted", "");
        }
        return deleted;
    }

    /** The pending requests, oldest first. */
    public List<PendingKeys.Pending> pending() {
        return pending.all();
    }

    /** The pending request with this id (the SHA-256 of its public key), if there is one. */
    public Optional<PendingKeys.Pending> pending(String id) {
        return pending.find(id);
    }

    /** The private key of a pending request, to make its certificate request again. */
    public Optional<PrivateKey> pendingKey(String id) {
        return pending.privateKey(id);
    }

    /**
     * Imports an organisation key. It is accepted only with a matching certificate, from {@code certificates} or
     * already stored, that passes the client rules; that certificate is stored too.
     */
    public Outcome importKey(PrivateKey key, List<X509Certificate> certificates, String source) {
        String algorithm = key.getAlgorithm();
        if (!"RSA".equals(algorithm) && !"EC".equals(algorithm)) {
            return rejectKey(source, "private key algorithm " + algorithm + " is neither RSA nor EC");
        }
        List<X509Certificate> candidates = new ArrayList<>(certificates);
        // stored CA certificates too: a self-signed certificate made with CA:TRUE is stored as a CA, and its key is
        // then refused for that reason, not for want of a certificate
        directory.all().forEach(r -> candidates.add(r.certificate()));
        Optional<X509Certificate> match = candidates.stream().filter(c -> KeyMatcher.matches(key, c)).findFirst();
        if (match.isEmpty()) {
            return rejectKey(source, "no certificate in the file or in the store matches the private key");
        }
        X509Certificate certificate = match.get();
        if (CertificateFacts.isCa(certificate)) {
            return rejectKey(source, "the certificate for the key (" + CertificateFacts.subject(certificate)
                    + ") is a CA certificate (Basic Constraints CA:TRUE); an organisation key needs a client "
                    + "certificate (CA:FALSE, its address in the Subject Alternative Name)");
        }
        String refusal = CertificateRules.clientRefusal(certificate);
        if (refusal != null) {
            return rejectKey(source, "certificate for the key (" + CertificateFacts.subject(certificate) + "): "
                    + refusal);
        }
        CertificateRecord stored = vouched(directory.add(certificate, CertificateKind.CLIENT));
        keys.put(stored.fingerprint(), key);
        record("key.import", stored.fingerprint(), "imported", source + ": " + String.join(",", stored.emails()));
        return new Outcome.Imported(stored);
    }

    /**
     * Makes a pending harvested certificate usable for encryption and trusted when it signs, like an imported one.
     * Refused when the certificate is not pending.
     */
    public Outcome approve(CertificateRecord certificate) {
        if (certificate.source() != CertificateSource.PENDING) {
            return new Outcome.Rejected("certificate " + certificate.fingerprint() + " is not pending (source "
                    + certificate.source().word() + ")");
        }
        Optional<CertificateRecord> approved = directory.changeSource(certificate.fingerprint(),
                CertificateSource.APPROVED);
        if (approved.isEmpty()) {
            return new Outcome.Rejected("certificate " + certificate.fingerprint() + " is no longer stored");
        }
        record("cert.approve", certificate.fingerprint(), "approved", String.join(",", certificate.emails()));
        return new Outcome.Imported(approved.get());
    }

    /** The stored record, made {@code imported} when it was stored from another source. */
    private CertificateRecord vouched(CertificateRecord stored) {
        if (stored.source() == CertificateSource.IMPORTED) {
            return stored;
        }
        return directory.changeSource(stored.fingerprint(), CertificateSource.IMPORTED).orElse(stored);
    }

    /** Deletes a certificate and, if it has one, its private key; returns whether it was stored. */
    public boolean deleteCertificate(String fingerprint) {
        boolean hadKey = keys.delete(fingerprint);
        boolean deleted = directory.delete(fingerprint);
        if (deleted || hadKey) {
            record("cert.delete", fingerprint, "deleted", hadKey ? "with its private key" : "");
        }
        return deleted;
    }

    /** Deletes the private key of a certificate; the certificate stays. Returns whether there was a key. */
    public boolean deleteKey(String fingerprint) {
        boolean deleted = keys.delete(fingerprint);
        if (deleted) {
            record("key.delete", fingerprint, "deleted", "");
        }
        return deleted;
    }

    private Outcome rejectKey(String source, String reason) {
        record("key.import", source, "rejected", reason);
        return new Outcome.Rejected(reason);
    }

    private void record(String action, String subject, String decision, String detail) {
        audit.record(new AuditEvent(clock.instant(), action, subject, decision, detail));
    }
}
