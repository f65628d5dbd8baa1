package org.smimegw.smtp.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
    static String date(Instant instant) {
        return CertificateLines.date(instant);
    }

    /** {@code <fp> <ca|client> <emails> notAfter=<date>}: the line {@code cert import} prints after "imported". */
    static String certificateLine(CertificateRecord c) {
        return CertificateLines.line(c);
    }

    /** Prints imported lines on stdout and rejected ones as refusals; returns whether all were imported. */
    /**
     * Prints every result line once: {@code imported ...} on stdout, {@code rejected ...} on stderr, as the reason
     * of the exit status 1 (docs/design.md §5, §13); the status: 1 when anything was rejected.
     */
    static int printResults(java.io.PrintWriter out, java.io.PrintWriter err, List<ImportResult> results) {
        boolean rejected = false;
        for (ImportResult result : results) {
            (result.imported() ? out : err).println(result.line());
            rejected |= !result.imported();
        }
        out.flush();
        err.flush();
        return rejected ? 1 : 0;
    }

    /**
     * Reads each file and imports what it holds ({@code cert import}, {@code crl import}): a file that cannot be read
     * is a refusal naming it. Returns the exit status: 0 when everything was imported, else 1.
     */
    static int importFiles(java.io.PrintWriter out, java.io.PrintWriter err, List<java.nio.file.Path> files,
            java.util.function.BiFunction<byte[], String, List<ImportResult>> importer) {
        int status = 0;
        for (java.nio.file.Path file : files) {
            List<ImportResult> results;
            try {
                results = importer.apply(CertCommand.readFile(file), file.toString());
            } catch (org.smimegw.core.cert.CertificateFileException e) {
                results = List.of(CertificateImport.rejected(file.toString(), e.getMessage()));
            }
            status = Math.max(status, printResults(out, err, results));
        }
        return status;
    }

    static Map<String, Object> certificateJson(CertificateRecord c, boolean hasKey, RevocationStatus revocation) {
        return CertificateLines.fields(c, hasKey, revocation);
    }

    /** A pending request in {@code key list --json} (docs/json-formats.md): told apart by {@code pendingRequest}. */
    static Map<String, Object> pendingJson(org.smimegw.core.port.PendingKeys.Pending p, java.time.Instant now) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("pendingRequest", p.id());
        m.put("email", p.email());
        m.put("subject", p.subject());
        m.put("algorithm", p.algorithm());
        m.put("requestedAt", CertificateLines.date(p.requestedAt()));
        return m;
    }
}
