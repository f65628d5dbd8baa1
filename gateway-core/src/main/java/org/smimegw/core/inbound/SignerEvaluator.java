package org.smimegw.core.inbound;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.inbound.SignerCheck.Outcome;
import org.smimegw.core.mime.FromIdentity;
import org.smimegw.core.revocation.RevocationCheck;
import org.smimegw.core.smime.SmimeAlgorithms;

/**
 * Checks one SignerInfo: finds its certificate (embedded or stored), verifies the signature, then applies the
 * algorithm policy and {@link SignerTrust}. Thread-safe.
 */
final class SignerEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(SignerEvaluator.class);

    private final Stores stores;
    private final SignerTrust trust;
    private final SmimeAlgorithms algorithms;

    SignerEvaluator(Stores stores, SignerTrust trust, SmimeAlgorithms algorithms) {
        this.stores = stores;
        this.trust = trust;
        this.algorithms = algorithms;
    }

    SignerCheck evaluate(SignerInformation signer, Collection<X509Certificate> embedded, FromIdentity from,
            Instant at, RevocationCheck revocation) {
        List<X509Certificate> candidates = candidates(signer.getSID(), embedded, from);
        if (candidates.isEmpty()) {
            return SignerCheck.of(Outcome.POLICY, "signer certificate not found", null);
        }
        SignerCheck verified = null;
        for (X509Certificate candidate : candidates) {
            SignerCheck check = verify(signer, candidate);
            if (check.outcome() == Outcome.OK) {
                return acceptable(signer, candidate, embedded, at, revocation);
            }
            verified = verified == null ? check : verified;
        }
        return verified;
    }

    /** Certificates matching the SignerId: embedded ones first, then stored client certificates. */
    private List<X509Certificate> candidates(SignerId id, Collection<X509Certificate> embedded, FromIdentity from) {
        Map<String, X509Certificate> found = new LinkedHashMap<>();
        for (X509Certificate certificate : embedded) {
            if (matches(id, certificate)) {
                found.putIfAbsent(Fingerprints.sha256(certificate), certificate);
            }
        }
        List<CertificateRecord> stored = new ArrayList<>();
        if (from.present()) {
            stored.addAll(stores.byEmail(from.address()));
        }
        if (found.isEmpty() && stored.stream().noneMatch(r -> matches(id, r.certificate()))) {
            stored.addAll(stores.byKind(CertificateKind.CLIENT));
        }
        for (CertificateRecord record : stored) {
            if (matches(id, record.certificate())) {
                found.putIfAbsent(record.fingerprint(), record.certificate());
            }
        }
        return List.copyOf(found.values());
    }

    private static boolean matches(SignerId id, X509Certificate certificate) {
        try {
            return id.match(new JcaX509CertificateHolder(certificate));
        } catch (CertificateException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Verifies with the public key, not the certificate: BC would otherwise refuse a certificate that was not
     * valid at the claimed signing time, while validity is judged at the processing instant, as policy. No provider
     * is named: the digest of the content and the signature run on the first provider that has them (the Corretto
     * provider or the JDK's); Bouncy Castle, registered last, only serves algorithms the others lack.
     */
    private static SignerCheck verify(SignerInformation signer, X509Certificate certificate) {
        try {
            boolean valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .build(certificate.getPublicKey()));
            return valid ? SignerCheck.of(Outcome.OK, null, certificate)
                    : SignerCheck.of(Outcome.FAIL, "signature does not verify", certificate);
        } catch (CMSSignerDigestMismatchException e) {
            return SignerCheck.of(Outcome.FAIL, "message digest mismatch: content was changed", certificate);
        } catch (CMSException e) {
            LOG.debug("signature does not verify", e);
            return SignerCheck.of(Outcome.FAIL, "signature does not verify", certificate);
        } catch (OperatorCreationException e) {
            return SignerCheck.of(Outcome.PERMERROR, "unsupported signature algorithm "
                    + signer.getEncryptionAlgOID(), certificate);
        } catch (RuntimeException e) {
            LOG.debug("malformed SignerInfo", e);
            return SignerCheck.of(Outcome.PERMERROR, "malformed SignerInfo", certificate);
        }
    }

    private SignerCheck acceptable(SignerInformation signer, X509Certificate certificate,
            Collection<X509Certificate> embedded, Instant at, RevocationCheck revocation) {
        Optional<String> weak = weakAlgorithm(signer);
        if (weak.isPresent()) {
            return SignerCheck.of(Outcome.POLICY, weak.get(), certificate);
        }
        return SignerCheck.of(trust.decide(certificate, embedded, at, revocation), certificate);
    }

    private Optional<String> weakAlgorithm(SignerInformation signer) {
        for (String oid : List.of(signer.getDigestAlgOID(), signer.getEncryptionAlgOID())) {
            String reason = algorithms.weakAlgorithmReason(new ASN1ObjectIdentifier(oid));
            if (reason != null) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }

    /**
     * Embedded certificates that parse; the caller has checked their number against
     * {@code MessageLimits.certificates}, since path building is costly and no honest signature needs many.
     */
    static List<X509Certificate> embedded(Collection<X509CertificateHolder> holders) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (X509CertificateHolder holder : holders) {
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException | RuntimeException e) {
                continue;
            }
        }
        return certificates;
    }
}
