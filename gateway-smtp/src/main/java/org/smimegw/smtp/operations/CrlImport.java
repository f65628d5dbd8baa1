package org.smimegw.smtp.operations;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.RevocationStore;
import org.smimegw.core.revocation.CrlRejected;
import org.smimegw.core.revocation.CrlVerifier;
import org.smimegw.core.revocation.StoredCrl;

/**
 * Imports one CRL file (DER or PEM) as {@code crl import} does (docs/design.md §9): accepted only when its signature
 * verifies with the key of the stored CA certificate that issued it, it is current, and it is newer than the CRL
 * stored for that CA; each import is audited ({@code crl.import}). Thread-safe when its ports are.
 */
public final class CrlImport {
    private final CertificateDirectory certificates;
    private final RevocationStore revocation;
    private final AuditLog audit;
    private final long maxBytes;
    private final Clock clock;

    public CrlImport(CertificateDirectory certificates, RevocationStore revocation, AuditLog audit, long maxBytes,
            Clock clock) {
        this.certificates = certificates;
        this.revocation = revocation;
        this.audit = audit;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /**
     * {@code imported <issuer> thisUpdate=<date> nextUpdate=<date> entries=<n>} or {@code rejected <file>: <reason>}.
     */
    public ImportResult importFile(byte[] bytes, String fileName) {
        List<java.security.cert.X509Certificate> cas = certificates.findByKind(CertificateKind.CA).stream()
                .map(CertificateRecord::certificate).toList();
        StoredCrl offered;
        try {
            offered = CrlVerifier.verify(bytes, "imported", cas, clock.instant(), maxBytes);
        } catch (CrlRejected e) {
            return rejected(fileName, e.getMessage());
        }
        StoredCrl kept = revocation.saveCrl(offered);
        if (kept != offered && !sameCrl(kept, offered)) {
            return rejected(fileName, "not newer than the stored CRL of " + kept.issuer() + " (thisUpdate="
                    + CertificateLines.date(kept.thisUpdate()) + ")");
        }
        audit.record(new AuditEvent(clock.instant(), "crl.import", offered.issuerFingerprint(), "imported",
                fileName + ": " + describe(offered)));
        return new ImportResult(true, "imported " + describe(offered));
    }

    /** {@code <issuer> thisUpdate=<date> nextUpdate=<date|-> entries=<n>}. */
    public static String describe(StoredCrl crl) {
        return crl.issuer() + " thisUpdate=" + CertificateLines.date(crl.thisUpdate()) + " nextUpdate="
                + (crl.nextUpdate() == null ? "-" : CertificateLines.date(crl.nextUpdate())) + " entries="
                + crl.entries();
    }

    private ImportResult rejected(String fileName, String reason) {
        audit.record(new AuditEvent(clock.instant(), "crl.import", fileName, "rejected", reason));
        return CertificateImport.rejected(fileName, reason);
    }

    private static boolean sameCrl(StoredCrl a, StoredCrl b) {
        try {
            return Arrays.equals(a.crl().getEncoded(), b.crl().getEncoded());
        } catch (java.security.cert.CRLException e) {
            return false;
        }
    }
}
