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

/**
 * Decides whether a signer certificate is trusted at an instant. Only stored certificates are anchors: a signer
 * byte-identical to a stored client certificate is trusted directly; otherwise a PKIX path must end at a stored
 * CA certificate. Embedded certificates only help to build the path, and a stored client certificate never
 * acts as an issuer. Revocation is not checked. Thread-safe.
 */
final class SignerTrust {
    static final String NOT_TRUSTED = "signer not trusted";
    private final Stores stores;
    /** Longest certification path searched ({@code MessageLimits.chainLength}): path building is costly. */
    private final int maxChain;

    SignerTrust(Stores stores, int maxChain) {
        this.stores = stores;
        this.maxChain = maxChain;
    }

    /** Why the signer is not acceptable at {@code at}, or empty when it is trusted. */
    Optional<String> problem(X509Certificate signer, Collection<X509Certificate> embedded, Instant at) {
        Optional<String> validity = validity(signer, at, "certificate");
        if (validity.isPresent()) {
            return validity;
        }
        Optional<String> usage = usage(signer);
        if (usage.isPresent()) {
            return usage;
        }
        if (stores.isStoredAs(Fingerprints.sha256(signer), CertificateKind.CLIENT)) {
            return Optional.empty();
        }
        return path(signer, embedded, at);
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

    private Optional<String> path(X509Certificate signer, Collection<X509Certificate> embedded, Instant at) {
        List<X509Certificate> anchors = stores.byKind(CertificateKind.CA).stream()
                .map(CertificateRecord::certificate).toList();
        if (anchors.isEmpty()) {
            return Optional.of(NOT_TRUSTED);
        }
        List<X509Certificate> pool = intermediates(signer, embedded, anchors);
        try {
            PKIXCertPathBuilderResult result = build(signer, anchors, pool, at);
            return checkBuilt(result, at);
        } catch (GeneralSecurityException e) {
            return Optional.of(diagnose(signer, pool, at).orElse(NOT_TRUSTED));
        }
    }

    /** Embedded certificates and stored CAs, minus stored client certificates, which must never issue. */
    private List<X509Certificate> intermediates(X509Certificate signer, Collection<X509Certificate> embedded,
            List<X509Certificate> anchors) {
        List<X509Certificate> pool = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        pool.add(signer);
        seen.add(Fingerprints.sha256(signer));
        for (X509Certificate candidate : concat(embedded, anchors)) {
            String fingerprint = Fingerprints.sha256(candidate);
            if (seen.add(fingerprint) && !stores.isStoredAs(fingerprint, CertificateKind.CLIENT)) {
                pool.add(candidate);
            }
        }
        return pool;
    }

    private static List<X509Certificate> concat(Collection<X509Certificate> a, Collection<X509Certificate> b) {
        List<X509Certificate> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
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
            if (candidate.getSubjectX500Principal().equals(child.getIssuerX500Principal()) && signs(candidate, child)) {
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
