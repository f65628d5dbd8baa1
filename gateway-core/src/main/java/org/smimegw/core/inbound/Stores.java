package org.smimegw.core.inbound;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.port.StoreFailure;

/**
 * The ports as the inbound pipeline uses them, with every failure of a port turned into a {@link StoreFailure} with
 * one of the fixed reasons here, so that it is never mistaken for a problem of the message: the reason goes into
 * the result header ({@code temperror}), the port's own words (which may name files or database URLs) stay in the
 * cause, for the log. Thread-safe when the ports are.
 */
final class Stores {
    static final String CERTIFICATES_UNAVAILABLE = "certificate store unavailable";
    static final String KEYS_UNAVAILABLE = "key store unavailable";
    static final String KEY_UNREADABLE = "the stored private key cannot be read";
    private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

    private final CertificateDirectory certificates;
    private final PrivateKeyRepository keys;

    Stores(CertificateDirectory certificates, PrivateKeyRepository keys) {
        this.certificates = certificates;
        this.keys = keys;
    }

    Optional<CertificateRecord> certificate(String fingerprint) {
        return call(CERTIFICATES_UNAVAILABLE, () -> certificates.findByFingerprint(fingerprint));
    }

    List<CertificateRecord> byKind(CertificateKind kind) {
        return call(CERTIFICATES_UNAVAILABLE, () -> certificates.findByKind(kind));
    }

    List<CertificateRecord> byEmail(String email) {
        return call(CERTIFICATES_UNAVAILABLE, () -> certificates.findByEmail(email));
    }

    /** Whether this exact certificate (same SHA-256 fingerprint) is stored as the kind. */
    boolean isStoredAs(String fingerprint, CertificateKind kind) {
        return certificate(fingerprint).map(r -> r.kind() == kind).orElse(false);
    }

    /** The organisation certificates that have a private key, in the repository's order. */
    List<X509Certificate> keyCertificates() {
        List<String> fingerprints = call(KEYS_UNAVAILABLE, keys::certificateFingerprints);
        return fingerprints.stream().map(this::certificate).flatMap(Optional::stream)
                .map(CertificateRecord::certificate).toList();
    }

    Optional<PrivateKey> key(String fingerprint) {
        return call(KEY_UNREADABLE, () -> keys.find(fingerprint));
    }

    private static <T> T call(String reason, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            // the operator needs the port's words (a file, a URL); the stack trace only when debugging
            LOG.warn("{}: {}", reason, e.getMessage());
            LOG.debug("{}", reason, e);
            throw new StoreFailure(reason, e);
        }
    }
}
