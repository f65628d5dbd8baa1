package org.smimegw.core.inbound;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PrivateKeyRepository;

/**
 * The ports as the inbound pipeline uses them, with every failure of a port turned into
 * {@link StoreUnavailableException} so that it is never mistaken for a problem of the message. Thread-safe
 * when the ports are.
 */
final class Stores {
    private final CertificateDirectory certificates;
    private final PrivateKeyRepository keys;

    Stores(CertificateDirectory certificates, PrivateKeyRepository keys) {
        this.certificates = certificates;
        this.keys = keys;
    }

    Optional<CertificateRecord> certificate(String fingerprint) {
        return call("certificate store", () -> certificates.findByFingerprint(fingerprint));
    }

    List<CertificateRecord> byKind(CertificateKind kind) {
        return call("certificate store", () -> certificates.findByKind(kind));
    }

    List<CertificateRecord> byEmail(String email) {
        return call("certificate store", () -> certificates.findByEmail(email));
    }

    /** Whether this exact certificate (same SHA-256 fingerprint) is stored as the kind. */
    boolean isStoredAs(String fingerprint, CertificateKind kind) {
        return certificate(fingerprint).map(r -> r.kind() == kind).orElse(false);
    }

    /** The organisation certificates that have a private key, in the repository's order. */
    List<X509Certificate> keyCertificates() {
        List<String> fingerprints = call("key store", keys::certificateFingerprints);
        return fingerprints.stream().map(this::certificate).flatMap(Optional::stream)
                .map(CertificateRecord::certificate).toList();
    }

    Optional<PrivateKey> key(String fingerprint) {
        return call("key store", () -> keys.find(fingerprint));
    }

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(what, e);
        }
    }
}
