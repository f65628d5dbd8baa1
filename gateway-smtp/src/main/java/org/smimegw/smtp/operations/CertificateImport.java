package org.smimegw.smtp.operations;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.smimegw.core.cert.CertificateAdmin;
import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateFileException;
import org.smimegw.core.cert.CertificateFileReader;
import org.smimegw.core.cert.IdentityRequests;

/**
 * Imports the certificates of one file (PEM with one or many blocks, DER, PKCS#7) under the rules of
 * docs/design.md §4.1: what {@code cert import} and the admin page's upload both do, with the same result lines.
 * Stateless.
 */
public final class CertificateImport {
    private CertificateImport() {
    }

    /**
     * Reads and imports every certificate in {@code bytes}; {@code fileName} names the file in the result lines and
     * the audit log. A file that cannot be read gives one rejected line.
     */
    public static List<ImportResult> importFile(CertificateAdmin admin, byte[] bytes, String fileName) {
        List<X509Certificate> certificates;
        try {
            certificates = CertificateFileReader.read(bytes);
        } catch (CertificateFileException e) {
            return List.of(rejected(fileName, e.getMessage()));
        }
        return importAll(admin, certificates, fileName, certificates.size());
    }

    /** Imports each certificate; a refusal names the certificate's subject when the file held several. */
    private static List<ImportResult> importAll(CertificateAdmin admin, List<X509Certificate> certificates,
            String fileName, int inFile) {
        List<ImportResult> results = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            CertificateAdmin.Outcome outcome = admin.importCertificate(certificate, fileName);
            if (outcome instanceof CertificateAdmin.Outcome.Imported imported) {
                results.add(new ImportResult(true, CertificateLines.imported(imported)));
            } else {
                String reason = ((CertificateAdmin.Outcome.Rejected) outcome).reason();
                String which = inFile > 1 ? CertificateFacts.subject(certificate) + ": " : "";
                results.add(rejected(fileName, which + reason));
            }
        }
        return results;
    }

    /**
     * The certificates a CA issued for pending requests (docs/design.md §14), as the admin page's upload for them
     * takes them: each client certificate must be for a pending request, or it is refused (a contact's certificate
     * belongs on the certificates upload); CA certificates of the chain that came with it are imported as usual.
     */
    public static List<ImportResult> completeRequests(CertificateAdmin admin, byte[] bytes, String fileName) {
        List<X509Certificate> certificates;
        try {
            certificates = CertificateFileReader.read(bytes);
        } catch (CertificateFileException e) {
            return List.of(rejected(fileName, e.getMessage()));
        }
        List<X509Certificate> accepted = new ArrayList<>();
        List<ImportResult> refused = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            if (CertificateFacts.isCa(certificate)
                    || admin.pending(IdentityRequests.publicKeyId(certificate.getPublicKey())).isPresent()) {
                accepted.add(certificate);
            } else {
                refused.add(rejected(fileName, CertificateFacts.subject(certificate) + ": its key is not that of a"
                        + " pending request; a contact's certificate is uploaded under Certificates"));
            }
        }
        List<ImportResult> results = new ArrayList<>(importAll(admin, accepted, fileName, certificates.size()));
        results.addAll(refused);
        return results;
    }

    /** {@code rejected <file>: <reason>}. */
    public static ImportResult rejected(String fileName, String reason) {
        return new ImportResult(false, "rejected " + fileName + ": " + reason);
    }
}
