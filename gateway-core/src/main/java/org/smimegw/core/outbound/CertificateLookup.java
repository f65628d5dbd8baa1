package org.smimegw.core.outbound;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSelector;
import org.smimegw.core.cert.KeyPurpose;
import org.smimegw.core.cert.Selection;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.smime.SigningIdentity;

/**
 * Finds what outbound mail needs in the store: the organisation's signing identity for a From address, and the
 * encryption certificate of each recipient, applying the selection rules at one instant. Thread-safe.
 */
public final class CertificateLookup {
    private static final int MAX_CHAIN = MessageLimits.DEFAULTS.chainLength();

    private final CertificateDirectory directory;
    private final PrivateKeyRepository keys;

    public CertificateLookup(CertificateDirectory directory, PrivateKeyRepository keys) {
        this.directory = directory;
        this.keys = keys;
    }

    /** A signing identity for the address, or why there is none. */
    public sealed interface SignerLookup {
        record Found(SigningIdentity identity, String fingerprint) implements SignerLookup {
        }

        record Missing(String reason) implements SignerLookup {
        }
    }

    public SignerLookup signingIdentity(String address, Instant at) {
        List<CertificateRecord> candidates = directory.findByEmail(address);
        List<CertificateRecord> withKey = candidates.stream()
                .filter(c -> keys.find(c.fingerprint()).isPresent()).toList();
        Selection selection = CertificateSelector.select(withKey, KeyPurpose.SIGN, at);
        if (selection instanceof Selection.Selected selected) {
            CertificateRecord record = selected.certificate();
            Optional<PrivateKey> key = keys.find(record.fingerprint());
            if (key.isPresent()) {
                return new SignerLookup.Found(
                        new SigningIdentity(record.certificate(), key.get(), chain(record.certificate())),
                        record.fingerprint());
            }
        }
        Selection anyCertificate = CertificateSelector.select(candidates, KeyPurpose.SIGN, at);
        if (anyCertificate instanceof Selection.Selected) {
            return new SignerLookup.Missing("no private key");
        }
        return new SignerLookup.Missing(((Selection.Unavailable) (withKey.isEmpty() ? anyCertificate : selection))
                .reason());
    }

    /** The recipient's certificate to encrypt to. */
    public Selection encryptionCertificate(String address, Instant at) {
        return CertificateSelector.select(directory.findByEmail(address), KeyPurpose.ENCRYPT, at);
    }

    /**
     * The organisation's own encryption certificate for the address (one that has a private key), so that the
     * organisation can read what it sent.
     */
    public Optional<CertificateRecord> organisationEncryptionCertificate(String address, Instant at) {
        List<CertificateRecord> withKey = directory.findByEmail(address).stream()
                .filter(c -> keys.find(c.fingerprint()).isPresent()).toList();
        return CertificateSelector.select(withKey, KeyPurpose.ENCRYPT, at) instanceof Selection.Selected s
                ? Optional.of(s.certificate()) : Optional.empty();
    }

    /** The issuing chain of a certificate from the stored CA certificates, nearest issuer first, root included. */
    public List<X509Certificate> chain(X509Certificate certificate) {
        List<CertificateRecord> cas = directory.findByKind(CertificateKind.CA);
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate current = certificate;
        while (chain.size() < MAX_CHAIN && !isSelfIssued(current)) {
            X509Certificate issuer = issuerOf(current, cas);
            if (issuer == null || chain.contains(issuer)) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static X509Certificate issuerOf(X509Certificate certificate, List<CertificateRecord> cas) {
        for (CertificateRecord ca : cas) {
            X509Certificate candidate = ca.certificate();
            if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(candidate.getPublicKey());
                    return candidate;
                } catch (Exception e) {
                    // same name, other key: not this certificate's issuer
                }
            }
        }
        return null;
    }

    private static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }
}
