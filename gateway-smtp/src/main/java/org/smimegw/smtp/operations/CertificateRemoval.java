package org.smimegw.smtp.operations;

import java.util.List;

import org.smimegw.core.cert.CertificateAdmin;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PendingKeys;
import org.smimegw.core.port.PrivateKeyRepository;

/**
 * Finds certificates by typed fingerprint, deletes certificates and organisation keys and approves pending ones: what
 * {@code cert delete}, {@code key delete}, {@code cert approve} and the admin page do, with the same wording.
 * Thread-safe when its ports are.
 */
public final class CertificateRemoval {
    private final CertificateDirectory directory;
    private final PrivateKeyRepository keys;
    private final CertificateAdmin admin;

    public CertificateRemoval(CertificateDirectory directory, PrivateKeyRepository keys, CertificateAdmin admin) {
        this.directory = directory;
        this.keys = keys;
        this.admin = admin;
    }

    /** The certificate a typed fingerprint (any case, ':' allowed) or unique prefix names. */
    public CertificateRecord resolve(String typed) {
        String fingerprint;
        try {
            fingerprint = Fingerprints.normalise(typed);
        } catch (IllegalArgumentException e) {
            throw new OperationRefused(e.getMessage());
        }
        List<CertificateRecord> matches = directory.findByFingerprintPrefix(fingerprint);
        if (matches.isEmpty()) {
            throw new OperationRefused("no certificate with fingerprint " + typed);
        }
        if (matches.size() > 1) {
            throw new OperationRefused("fingerprint prefix " + typed + " matches " + matches.size()
                    + " certificates; give more digits");
        }
        return matches.get(0);
    }

    /** Deletes the certificate (and its private key, if any); returns {@code deleted <fp>[ and its private key]}. */
    public String deleteCertificate(String typed) {
        CertificateRecord c = resolve(typed);
        boolean hadKey = keys.find(c.fingerprint()).isPresent();
        admin.deleteCertificate(c.fingerprint());
        return "deleted " + c.fingerprint() + (hadKey ? " and its private key" : "");
    }

    /** Approves a pending harvested certificate (docs/design.md §9); returns {@code approved <fp> <emails>}. */
    public String approve(String typed) {
        CertificateAdmin.Outcome outcome = admin.approve(resolve(typed));
        if (outcome instanceof CertificateAdmin.Outcome.Rejected rejected) {
            throw new OperationRefused(rejected.reason());
        }
        CertificateRecord approved = ((CertificateAdmin.Outcome.Imported) outcome).certificate();
        return "approved " + approved.fingerprint() + " " + CertificateLines.emails(approved.emails());
    }

    /**
     * Deletes the private key of a certificate, which stays, or a pending request (docs/design.md §14) when the typed
     * fingerprint names no certificate but a request's id; returns {@code deleted private key of <fp>} or
     * {@code deleted pending request <id> <email>}.
     */
    public String deleteKey(String typed) {
        String prefix;
        try {
            prefix = Fingerprints.normalise(typed);
        } catch (IllegalArgumentException e) {
            throw new OperationRefused(e.getMessage());
        }
        if (directory.findByFingerprintPrefix(prefix).isEmpty()) {
            List<PendingKeys.Pending> requests = admin.pending().stream().filter(p -> p.id().startsWith(prefix))
                    .toList();
            if (requests.size() > 1) {
                throw new OperationRefused("prefix " + typed + " matches " + requests.size()
                        + " pending requests; give more digits");
            }
            if (requests.size() == 1) {
                PendingKeys.Pending request = requests.get(0);
                admin.deletePending(request.id());
                return "deleted pending request " + request.id() + " " + request.email();
            }
            throw new OperationRefused("no certificate or pending request with fingerprint " + typed);
        }
        CertificateRecord c = resolve(typed);
        if (c.kind() != CertificateKind.CLIENT || !admin.deleteKey(c.fingerprint())) {
            throw new OperationRefused("certificate " + c.fingerprint() + " has no private key");
        }
        return "deleted private key of " + c.fingerprint();
    }
}
