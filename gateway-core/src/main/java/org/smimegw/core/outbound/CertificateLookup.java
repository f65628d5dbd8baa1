package org.smimegw.core.outbound;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSelector;
import org.smimegw.core.cert.KeyPurpose;
import org.smimegw.core.cert.Selection;
import org.smimegw.core.limits.MessageLimits;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.revocation.RevocationCheck;
import org.smimegw.core.revocation.RevocationChecker;
import org.smimegw.core.revocation.RevocationStatus;
import org.smimegw.core.smime.SigningIdentity;

/**
 * Finds what outbound mail needs in the store: the organisation's signing identity for a From address, and the
 * encryption certificate of each recipient, applying the selection rules (docs/design.md §4) and revocation (§9) at
 * one instant. A certificate is refused when it, or a CA certificate between it and its root, is revoked, or (with
 * {@code revocation.check=hard}) when its status cannot be had. Thread-safe; {@link ForMessage} is not.
 */
public final class CertificateLookup {
    private static final int MAX_CHAIN = MessageLimits.DEFAULTS.chainLength();

    private final CertificateDirectory directory;
    private final PrivateKeyRepository keys;
    private final RevocationChecker revocation;
    private final RecipientDiscovery discovery;
    private final Duration lookupTimeout;

    /** Judging by dates alone ({@code revocation.check=off}). */
    public CertificateLookup(CertificateDirectory directory, PrivateKeyRepository keys) {
        this(directory, keys, RevocationChecker.off());
    }

    /** Without lookups of recipients' certificates outside the store. */
    public CertificateLookup(CertificateDirectory directory, PrivateKeyRepository keys, RevocationChecker revocation) {
        this(directory, keys, revocation, RecipientDiscovery.none(), Duration.ZERO);
    }

    /**
     * @param discovery looks up a recipient without a usable stored certificate (docs/design.md §10)
     * @param lookupTimeout the longest the lookups of one message may take together ({@code lookup.timeout})
     */
    public CertificateLookup(CertificateDirectory directory, PrivateKeyRepository keys, RevocationChecker revocation,
            RecipientDiscovery discovery, Duration lookupTimeout) {
        this.directory = directory;
        this.keys = keys;
        this.revocation = revocation;
        this.discovery = discovery;
        this.lookupTimeout = lookupTimeout;
    }

    /** A signing identity for the address, or why there is none. */
    public sealed interface SignerLookup {
        record Found(SigningIdentity identity, String fingerprint) implements SignerLookup {
        }

        record Missing(String reason) implements SignerLookup {
        }
    }

    /** The lookups of one message, judged at {@code at}, sharing one revocation deadline. */
    public ForMessage forMessage(Instant at) {
        return new ForMessage(at, revocation.begin(at));
    }

    /** The lookups of one message. Not thread-safe. */
    public final class ForMessage {
        private final Instant at;
        private final RevocationCheck check;
        private final CertificateSelector.Usability usability;
        /** Refusals by fingerprint: a certificate is judged once per message, however often it is looked at. */
        private final Map<String, Optional<String>> judged = new HashMap<>();
        /** The stored CA certificates, read once per message, and the chains built from them, by fingerprint. */
        private List<CertificateRecord> cas;
        private final Map<String, List<X509Certificate>> chains = new HashMap<>();
        /** When this message's lookups must have ended ({@link System#nanoTime()}); 0 until the first one. */
        private long lookupDeadline;

        private ForMessage(Instant at, RevocationCheck check) {
            this.at = at;
            this.check = check;
            this.usability = !check.checks() ? CertificateSelector.Usability.ANY
                    : record -> judged.computeIfAbsent(record.fingerprint(), fp -> revocationRefusal(record));
        }

        public SignerLookup signingIdentity(String address) {
            List<CertificateRecord> candidates = directory.findByEmail(address);
            List<CertificateRecord> withKey = candidates.stream()
                    .filter(c -> keys.find(c.fingerprint()).isPresent()).toList();
            Selection selection = CertificateSelector.select(withKey, KeyPurpose.SIGN, at, usability);
            if (selection instanceof Selection.Selected selected) {
                CertificateRecord record = selected.certificate();
                Optional<PrivateKey> key = keys.find(record.fingerprint());
                if (key.isPresent()) {
                    return new SignerLookup.Found(
                            new SigningIdentity(record.certificate(), key.get(), chainOf(record)),
                            record.fingerprint());
                }
            }
            Selection anyCertificate = CertificateSelector.select(candidates, KeyPurpose.SIGN, at, usability);
            if (anyCertificate instanceof Selection.Selected) {
                return new SignerLookup.Missing("no private key");
            }
            Selection closest = withKey.isEmpty() || selection instanceof Selection.Selected
                    ? anyCertificate : selection;
            return new SignerLookup.Missing(((Selection.Unavailable) closest).reason());
        }

        /**
         * The recipient's certificate to encrypt to; when none stored is usable, the ones the configured directories
         * publish are looked up and stored first (docs/design.md §10), within what is left of this message's
         * {@code lookup.timeout}. A miss says so in the reason.
         */
        public Selection encryptionCertificate(String address) {
            Selection selection = CertificateSelector.select(directory.findByEmail(address), KeyPurpose.ENCRYPT, at,
                    usability);
            if (selection instanceof Selection.Unavailable unavailable) {
                if (lookupDeadline == 0) {
                    lookupDeadline = System.nanoTime() + lookupTimeout.toNanos();
                }
                Duration left = Duration.ofNanos(Math.max(0, lookupDeadline - System.nanoTime()));
                RecipientDiscovery.Outcome outcome = discovery.discover(address, at, left);
                if (outcome.stored() > 0) {
                    return CertificateSelector.select(directory.findByEmail(address), KeyPurpose.ENCRYPT, at,
                            usability);
                }
                if (!outcome.notes().isEmpty()) {
                    return new Selection.Unavailable(unavailable.reason() + "; " + String.join("; ", outcome.notes()));
                }
            }
            return selection;
        }

        /**
         * The organisation's own encryption certificate for the address (one that has a private key), so that the
         * organisation can read what it sent.
         */
        public Optional<CertificateRecord> organisationEncryptionCertificate(String address) {
            List<CertificateRecord> withKey = directory.findByEmail(address).stream()
                    .filter(c -> keys.find(c.fingerprint()).isPresent()).toList();
            return CertificateSelector.select(withKey, KeyPurpose.ENCRYPT, at, usability)
                    instanceof Selection.Selected s ? Optional.of(s.certificate()) : Optional.empty();
        }

        private List<X509Certificate> chainOf(CertificateRecord record) {
            return chains.computeIfAbsent(record.fingerprint(), fingerprint -> {
                if (cas == null) {
                    cas = directory.findByKind(CertificateKind.CA);
                }
                return chain(record.certificate(), cas);
            });
        }

        /** What the audit log should say about statuses that could not be had (soft mode). */
        public List<String> revocationNotes() {
            return check.notes();
        }

        /** The certificate and each CA certificate above it but below its root, with their issuers. */
        private Optional<String> revocationRefusal(CertificateRecord record) {
            List<X509Certificate> path = new ArrayList<>(List.of(record.certificate()));
            path.addAll(chainOf(record));
            int belowRoot = 0;
            while (belowRoot < path.size() && !isSelfIssued(path.get(belowRoot))) {
                belowRoot++;
            }
            return check.firstBlocked(path, belowRoot).map(blocked -> {
                String whose = blocked.index() == 0 ? ""
                        : "issuer certificate " + CertificateFacts.subject(path.get(blocked.index())) + " ";
                return whose + (blocked.status() instanceof RevocationStatus.Revoked revoked ? revoked.phrase()
                        : "revocation status unknown: " + ((RevocationStatus.Unknown) blocked.status()).why());
            });
        }
    }

    /** The issuing chain of a certificate from the stored CA certificates, nearest issuer first, root included. */
    public List<X509Certificate> chain(X509Certificate certificate) {
        return chain(certificate, directory.findByKind(CertificateKind.CA));
    }

    private static List<X509Certificate> chain(X509Certificate certificate, List<CertificateRecord> cas) {
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
