package org.smimegw.smtp.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.revocation.RevocationStatus;
import org.smimegw.smtp.operations.CertificateImport;
import org.smimegw.smtp.operations.CertificateLines;
import org.smimegw.smtp.operations.ImportResult;

/**
 * How certificates and audit events are printed: one line of text, or one JSON object per line (the maps here,
 * written by {@link org.smimegw.smtp.json.Json}).
 */
final class Output {
    private Output() {
    }

    /**
     * A per-item refusal of a listing command ({@code rejected <file>: <reason>}): one line on stderr, like every
     * refusal, and also in the stdout listing when that is not the same terminal, so scripts see every item.
     */
    static void refusal(java.io.PrintWriter out, java.io.PrintWriter err, String line) {
        err.println(line);
        err.flush();
        if (System.console() == null) {
            out.println(line);
        }
    }

    static String date(Instant instant) {
        return CertificateLines.date(instant);
    }

    /** {@code <fp> <ca|client> <emails> notAfter=<date>}: the line {@code cert import} prints after "imported". */
    static String certificateLine(CertificateRecord c) {
        return CertificateLines.line(c);
    }

    /** Prints imported lines on stdout and rejected ones as refusals; returns whether all were imported. */
    static boolean importResults(java.io.PrintWriter out, java.io.PrintWriter err, List<ImportResult> results) {
        boolean allImported = true;
        for (ImportResult result : results) {
            if (result.imported()) {
                out.println(result.line());
            } else {
                refusal(out, err, result.line());
                allImported = false;
            }
        }
        return allImported;
    }

    /**
     * Reads each file and imports what it holds ({@code cert import}, {@code crl import}): a file that cannot be read
     * is a refusal naming it. Returns the exit status: 0 when everything was imported, else 1.
     */
    static int importFiles(java.io.PrintWriter out, java.io.PrintWriter err, List<java.nio.file.Path> files,
            java.util.function.BiFunction<byte[], String, List<ImportResult>> importer) {
        boolean allImported = true;
        for (java.nio.file.Path file : files) {
            byte[] bytes;
            try {
                bytes = CertCommand.readFile(file);
            } catch (org.smimegw.core.cert.CertificateFileException e) {
                refusal(out, err, CertificateImport.rejected(file.toString(), e.getMessage()).line());
                allImported = false;
                continue;
            }
            allImported &= importResults(out, err, importer.apply(bytes, file.toString()));
        }
        out.flush();
        return allImported ? 0 : 1;
    }

    static Map<String, Object> certificateJson(CertificateRecord c, boolean hasKey, RevocationStatus revocation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", c.fingerprint());
        m.put("kind", c.kind().word());
        m.put("emails", List.copyOf(c.emails()));
        m.put("subject", c.subject());
        m.put("issuer", c.issuer());
        m.put("serial", c.serialHex());
        m.put("notBefore", date(c.notBefore()));
        m.put("notAfter", date(c.notAfter()));
        m.put("keyUsage", CertificateFacts.keyUsageNames(c.certificate()));
        m.put("keyAlgorithm", CertificateFacts.keyAlgorithm(c.certificate()));
        m.put("hasPrivateKey", hasKey);
        m.put("source", c.source().word());
        m.put("revocation", revocation.word());
        m.put("revokedAt", revocation instanceof RevocationStatus.Revoked revoked ? date(revoked.revokedAt()) : null);
        return m;
    }
}
