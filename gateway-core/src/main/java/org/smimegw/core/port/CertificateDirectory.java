package org.smimegw.core.port;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;

/**
 * The stored certificates: CA certificates and client certificates, indexed by SHA-256 fingerprint and by
 * lower-case e-mail address. Implementations are thread-safe, and every change is visible to every reader at
 * once (including other processes on the same store). Callers apply {@code CertificateRules} before
 * {@link #add}; the directory only stores.
 */
public interface CertificateDirectory {

    /** Stores an imported certificate as {@code kind}. */
    default CertificateRecord add(X509Certificate certificate, CertificateKind kind) {
        return add(certificate, kind, CertificateSource.IMPORTED);
    }

    /**
     * Stores the certificate as {@code kind} from {@code source}. Adding a certificate already stored changes nothing
     * and returns the stored record, with its stored kind and source.
     */
    CertificateRecord add(X509Certificate certificate, CertificateKind kind, CertificateSource source);

    /** Changes the source of a stored certificate; returns the changed record, or empty when it is not stored. */
    Optional<CertificateRecord> changeSource(String fingerprint, CertificateSource source);

    /** Certificates that carry the address (case-insensitive), any kind and any validity. */
    List<CertificateRecord> findByEmail(String email);

    Optional<CertificateRecord> findByFingerprint(String fingerprint);

    /** Certificates whose fingerprint starts with the lower-case hex prefix. */
    List<CertificateRecord> findByFingerprintPrefix(String prefix);

    /** Every stored certificate of the kind. */
    List<CertificateRecord> findByKind(CertificateKind kind);

    /** Every stored certificate, ordered by fingerprint. */
    List<CertificateRecord> all();

    /** Removes the certificate; returns whether it was stored. */
    boolean delete(String fingerprint);
}
