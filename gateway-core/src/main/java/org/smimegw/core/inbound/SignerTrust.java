package org.smimegw.core.inbound;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.revocation.RevocationCheck;
import org.smimegw.core.revocation.RevocationStatus;

/**
 * Decides whether a signer certificate is trusted at an instant (docs/design.md §4, §9). Only certificates the
 * operator vouched for are anchors: a signer byte-identical to an imported or approved client certificate is trusted
 * directly; otherwise a PKIX path must end at an imported CA certificate. Embedded certificates and stored path
 * material only help to build the path, and a stored client certificate never acts as an issuer. The signer and every
 * certificate on its path below the anchor must not be revoked; with {@code revocation.check=hard} their status must
 * be known. Thread-safe.
 */
final class SignerTrust {
    static final String NOT_TRUSTED = "signer not trusted";
    static final String STATUS_UNKNOWN = "revocation status unknown";

    /**
     * The decision on one signer certificate.
     *
     * @param problem why it is not trusted, or {@code null}
     * @param temporary whether the problem is a revocation status that could not be had ({@code temperror})
     * @param unanchored whether the only problem is that no path reaches a stored anchor (a pending harvest)
     * @param intermediates the certificates between the signer and the anchor, when trusted through a path
     */
    record Decision(String problem, boolean temporary, boolean unanchored, List<X509Certificate> intermediates) {
        static final Decision DIRECT = new Decision(null, false, false, List.of());
        static final Decision UNANCHORED = new Decision(NOT_TRUSTED, false, true, List.of());

        static Decision refused(String problem) {
            return new Decision(problem, false, false, List.of());
        }

        boolean trusted() {
            return problem == null;
        }
    }

    private final Stores stores;
    /** Longest certification path searched ({@code MessageLimits.chainLength}): path building is costly. */
    private final int maxChain;

    SignerTrust(Stores stores, int maxChain) {
        this.stores = stores;
        this.maxChain = maxChain;
    }

    /** Whether the signer is acceptable at {@code at}, its revocation status asked of {@code revocation}. */
    Decision decide(X509Certificate signer, Collection<X509Certificate> embedded, Instant at,
            RevocationCheck revocation) {
        Optional<String> validity = validity(signer, at, "certificate");
        if (validity.isPresent()) {
            return Decision.refused(validity.get());
        }
        Optional<String> usage = usage(signer);
        if (usage.isPresent()) {
            return Decision.refused(usage.get());
        }
        if (stores.certificate(Fingerprints.sha256(signer)).map(CertificateRecord::trustedClient).orElse(false)) {
            if (!revocation.checks()) {
                return Decision.DIRECT;
            }
            // its revocation data must be signed by a stored CA: embedded certificates cannot vouch for it
            List<X509Certificate> path = new ArrayList<>(List.of(signer));
            issuerOf(signer, stores.byKind(CertificateKind.CA).stream().map(CertificateRecord::certificate).toList())
                    .ifPresent(path::add);
            return revoked(path, 1, revocation).orElse(Decision.DIRECT);
        }
        return path(signer, embedded, at, revocation);
    }

    static Optional<String> validity(X509Certificate certificate, Instant at, String what) {
        if (at.isAfter(certificate.getNotAfter().toInstant())) {
            return Optional.of(what + " expired on " + day(certificate.getNotAfter()));
        }
        if (at.isBefore(certificate.getNotBefore().toInstant())) {
            return Optional.of(what + " not yet valid (valid from " + day(certificate.getNotBefore()) + ")");
        }
        return Optional.empty();
    }

    private static String day(Date date) {
        return date.toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static Optional<String> usage(X509Certificate signer) {
        boolean[] keyUsage = signer.getKeyUsage();
        if (keyUsage != null && !(bit(keyUsage, 0) || bit(keyUsage, 1))) {
            return Optional.of("signer certificate Key Usage allows neither digitalSignature nor nonRepudiation");
        }
        List<String> eku = CertificateFacts.extendedKeyUsage(signer);
        if (eku != null && !eku.contains(CertificateFacts.EMAIL_PROTECTION)
                && !eku.contains(CertificateFacts.ANY_EXTENDED_KEY_USAGE)) {
            return Optional.of("signer certificate Extended Key Usage lacks emailProtection");
        }
        return Optional.empty();
    }

    private static boolean bit(boolean[] bits, int index) {
        return bits.length > index && bits[index];
    }

    private Decision path(X509Certificate signer, Collection<X509Certificate> embedded, Instant at,
            RevocationCheck revocation) {
        List<X509Certificate> anchors = stores.byKind(CertificateKind.CA).stream()
                .filter(CertificateRecord::anchor).map(CertificateRecord::certificate).toList();
        if (anchors.isEmpty()) {
            return Decision.UNANCHORED;
        }
        List<X509Certificate> pool = pool(signer, embedded);
        PKIXCertPathBuilderResult result;
        try {
            result = build(signer, anchors, pool, at);
        } catch (GeneralSecurityException e) {
            Optional<String> diagnosis = diagnose(signer, pool, at);
            return diagnosis.map(Decision::refused).orElse(Decision.UNANCHORED);
        }
        Optional<String> problem = checkBuilt(result, at);
        if (problem.isPresent()) {
            return Decision.refused(problem.get());
        }
        List<X509Certificate> path = new ArrayList<>();
        for (Certificate certificate : result.getCertPath().getCertificates()) {
            path.add((X509Certificate) certificate);
        }
        List<X509Certificate> intermediates = List.copyOf(path.subList(1, path.size()));
        path.add(result.getTrustAnchor().getTrustedCert());
        return revoked(path, path.size() - 1, revocation).orElse(new Decision(null, false, false, intermediates));
    }

    /**
     * The first of the first {@code checked} certificates of {@code path} (the signer, then its issuers up) that is
     * revoked, or whose status is unknown under {@code hard}; each is asked about with the next as its issuer.
     */
    private static Optional<Decision> revoked(List<X509Certificate> path, int checked, RevocationCheck revocation) {
        return revocation.firstBlocked(path, checked).map(blocked -> {
            String whose = blocked.index() == 0 ? "signer certificate"
                    : "issuer certificate (" + CertificateFacts.subject(path.get(blocked.index())) + ")";
            return blocked.status() instanceof RevocationStatus.Revoked revoked
                    ? Decision.refused(whose + " " + revoked.phrase())
                    : new Decision(STATUS_UNKNOWN + " for the " + whose + ": "
                            + ((RevocationStatus.Unknown) blocked.status()).why(), true, false, List.of());
        });
    }

    /**
     * The signer, embedded certificates and stored CA certificates (anchors and path material), minus stored client
     * certificates, which must never issue.
     */
    private List<X509Certificate> pool(X509Certificate signer, Collection<X509Certificate> embedded) {
        List<X509Certificate> candidates = new ArrayList<>(embedded);
        stores.byKind(CertificateKind.CA).forEach(ca -> candidates.add(ca.certificate()));
        List<X509Certificate> pool = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        pool.add(signer);
        seen.add(Fingerprints.sha256(signer));
        for (X509Certificate candidate : candidates) {
            String fingerprint = Fingerprints.sha256(candidate);
            if (seen.add(fingerprint) && !stores.isStoredAs(fingerprint, CertificateKind.CLIENT)) {
                pool.add(candidate);
            }
        }
        return pool;
    }

    private PKIXCertPathBuilderResult build(X509Certificate signer, List<X509Certificate> anchors,
            List<X509Certificate> pool, Instant at) throws GeneralSecurityException {
        Set<TrustAnchor> trustAnchors = new HashSet<>();
        for (X509Certificate anchor : anchors) {
            trustAnchors.add(new TrustAnchor(anchor, null));
        }
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(signer);
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(trustAnchors, target);
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        parameters.setMaxPathLength(maxChain);
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
        return (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
    }

    /** PKIX does not judge the anchor's own validity, and the client-certificate rule is checked again. */
    private Optional<String> checkBuilt(PKIXCertPathBuilderResult result, Instant at) {
        List<? extends Certificate> path = result.getCertPath().getCertificates();
        for (int i = 1; i < path.size(); i++) {
            String fingerprint = Fingerprints.sha256((X509Certificate) path.get(i));
            if (stores.isStoredAs(fingerprint, CertificateKind.CLIENT)) {
                return Optional.of(NOT_TRUSTED);
            }
        }
        X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
        return validity(anchor, at, "issuer certificate").map(p -> p + " (" + CertificateFacts.subject(anchor) + ")");
    }

    /** After PKIX failed: name an issuer that exists but is not valid at {@code at}, for a specific reason. */
    private Optional<String> diagnose(X509Certificate signer, List<X509Certificate> pool, Instant at) {
        X509Certificate current = signer;
        for (int depth = 0; depth < maxChain; depth++) {
            Optional<X509Certificate> issuer = issuerOf(current, pool);
            if (issuer.isEmpty()) {
                return Optional.empty();
            }
            Optional<String> validity = validity(issuer.get(), at, "issuer certificate");
            if (validity.isPresent()) {
                return validity.map(p -> p + " (" + CertificateFacts.subject(issuer.get()) + ")");
            }
            if (issuer.get().equals(current)) {
                return Optional.empty();
            }
            current = issuer.get();
        }
        return Optional.empty();
    }

    private static Optional<X509Certificate> issuerOf(X509Certificate child, List<X509Certificate> pool) {
        for (X509Certificate candidate : pool) {
            if (candidate != child && candidate.getSubjectX500Principal().equals(child.getIssuerX500Principal())
                    && signs(candidate, child)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean signs(X509Certificate issuer, X509Certificate child) {
        try {
            child.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
