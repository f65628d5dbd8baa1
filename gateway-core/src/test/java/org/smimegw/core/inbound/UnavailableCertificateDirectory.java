package org.smimegw.core.inbound;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.port.CertificateDirectory;

/** A certificate directory whose database is down: every call throws. */
final class UnavailableCertificateDirectory implements CertificateDirectory {

    private static IllegalStateException down() {
        return new IllegalStateException("database is down");
    }

    @Override
    public CertificateRecord add(X509Certificate certificate, CertificateKind kind, CertificateSource source) {
        throw down();
    }

    @Override
    public Optional<CertificateRecord> changeSource(String fingerprint, CertificateSource source) {
        throw down();
    }

    @Override
    public List<CertificateRecord> findByEmail(String email) {
        throw down();
    }

    @Override
    public Optional<CertificateRecord> findByFingerprint(String fingerprint) {
        throw down();
    }

    @Override
    public List<CertificateRecord> findByFingerprintPrefix(String prefix) {
        throw down();
    }

    @Override
    public List<CertificateRecord> findByKind(CertificateKind kind) {
        throw down();
    }

    @Override
    public List<CertificateRecord> all() {
        throw down();
    }

    @Override
    public boolean delete(String fingerprint) {
        throw down();
    }
}
