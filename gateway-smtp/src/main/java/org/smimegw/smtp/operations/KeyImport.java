package org.smimegw.smtp.operations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.smimegw.core.cert.CertificateAdmin;
import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateFileException;
import org.smimegw.core.cert.KeyFileReader;

/**
 * Imports an organisation key from a PKCS#12 file or a PEM private key with its certificates: what
 * {@code key import} and the admin page's upload both do, with the same result lines. Stateless.
 */
public final class KeyImport {
    private KeyImport() {
    }

    /**
     * Reads the file with {@code password} (may be null) and imports its keys; the password array is cleared
     * before this returns. When every key is imported, the CA certificates in the file are imported too, so
     * signatures can carry the chain.
     */
    public static List<ImportResult> importFile(CertificateAdmin admin, byte[] bytes, char[] password,
            String fileName) {
        KeyFileReader.KeyFile keyFile;
        try {
            keyFile = KeyFileReader.read(bytes, password);
        } catch (CertificateFileException e) {
            return List.of(CertificateImport.rejected(fileName, e.getMessage()));
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
        List<ImportResult> results = new ArrayList<>();
        boolean allImported = true;
        for (var key : keyFile.keys()) {
            CertificateAdmin.Outcome outcome = admin.importKey(key, keyFile.certificates(), fileName);
            if (outcome instanceof CertificateAdmin.Outcome.Imported imported) {
                results.add(new ImportResult(true,
                        "imported " + CertificateLines.line(imported.certificate()) + " key"));
            } else {
                results.add(CertificateImport.rejected(fileName,
                        ((CertificateAdmin.Outcome.Rejected) outcome).reason()));
                allImported = false;
            }
        }
        if (allImported) {
            for (var certificate : keyFile.certificates()) {
                if (CertificateFacts.isCa(certificate) && admin.importCertificate(certificate, fileName)
                        instanceof CertificateAdmin.Outcome.Imported ca) {
                    results.add(new ImportResult(true, CertificateLines.imported(ca)));
                }
            }
        }
        return results;
    }
}
