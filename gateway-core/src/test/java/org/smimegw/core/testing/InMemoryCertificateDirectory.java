package org.smimegw.core.testing;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.port.CertificateDirectory;

/** A {@link CertificateDirectory} in memory, for core tests. */
public final class InMemoryCertificateDirectory implements CertificateDirectory {
    private final Map<String, CertificateRecord> byFingerprint = new ConcurrentSkipListMap<>();

    @Override
    public CertificateRecord add(X509Certificate certificate, CertificateKind kind, CertificateSource source) {
        return byFingerprint.computeIfAbsent(Fingerprints.sha256(certificate),
                fp -> CertificateRecord.of(certificate, kind, source));
    }

    @Override
    public Optional<CertificateRecord> changeSource(String fingerprint, CertificateSource source) {
        return Optional.ofNullable(byFingerprint.computeIfPresent(fingerprint, (fp, r) -> r.withSource(source)));
    }

    @Override
    public List<CertificateRecord> findByEmail(String email) {
        String wanted = email.trim().toLowerCase(Locale.ROOT);
        return byFingerprint.values().stream().filter(c -> c.emails().contains(wanted)).toList();
    }

    @Override
    public Optional<CertificateRecord> findByFingerprint(String fingerprint) {
        return Optional.ofNullable(byFingerprint.get(fingerprint));
    }

    @Override
    public List<CertificateRecord> findByFingerprintPrefix(String prefix) {
        return byFingerprint.values().stream().filter(c -> c.fingerprint().startsWith(prefix)).toList();
    }

    @Override
    public List<CertificateRecord> findByKind(CertificateKind kind) {
        return byFingerprint.values().stream().filter(c -> c.kind() == kind).toList();
    }

    @Override
    public List<CertificateRecord> all() {
        List<CertificateRecord> all = new ArrayList<>(byFingerprint.values());
        all.sort(Comparator.comparing(CertificateRecord::fingerprint));
        return all;
    }

    @Override
    public boolean delete(String fingerprint) {
        return byFingerprint.remove(fingerprint) != null;
    }
}
