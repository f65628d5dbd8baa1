package org.smimegw.smtp.admin;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.revocation.RevocationStatus;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.operations.CertificateImport;
import org.smimegw.smtp.operations.CertificateLines;
import org.smimegw.smtp.operations.CertificateRemoval;
import org.smimegw.smtp.operations.CertificateStatus;
import org.smimegw.smtp.operations.ImportResult;
import org.smimegw.smtp.operations.OperationRefused;

/**
 * Certificates: the list with each one's source and revocation status, the upload (as {@code cert import}), approve
 * for pending harvests (as {@code cert approve}) and delete (as {@code cert delete}).
 */
final class CertificatesPage {
    static final String PATH = "/certificates";
    private final Gateway gateway;
    private final Clock clock;

    CertificatesPage(Gateway gateway, Clock clock) {
        this.gateway = gateway;
        this.clock = clock;
    }

    String body(String csrf) {
        Html html = new Html();
        html.raw("<form class=\"box\" method=\"post\" action=\"/certificates/upload\" enctype=\"multipart/form-data\">")
                .csrf(csrf)
                .raw("<label>Certificate file (PEM with one or many certificates, DER or PKCS#7) "
                        + "<input type=\"file\" name=\"file\" id=\"certificate-file\" required></label>"
                        + "<button type=\"submit\" id=\"certificate-upload\">Upload</button></form>");
        List<CertificateRecord> records = gateway.certificates().all();
        Set<String> withKey = Set.copyOf(gateway.keys().certificateFingerprints());
        if (records.isEmpty()) {
            return html.raw("<p>No certificates are stored.</p>").toString();
        }
        html.raw("<table id=\"certificates\"><thead><tr><th>Fingerprint (SHA-256)</th><th>Kind</th><th>E-mail</th>"
                + "<th>Subject</th><th>Not after</th><th>Valid now</th><th>Source</th><th>Revocation</th><th>Key</th>"
                + "<th></th></tr></thead><tbody>");
        var now = clock.instant();
        CertificateStatus statuses = new CertificateStatus(gateway.lookup(), gateway.revocation(), now);
        for (CertificateRecord c : records) {
            RevocationStatus revocation = statuses.revocation(c);
            html.raw("<tr><td class=\"fingerprint\">").text(c.fingerprint()).raw("</td>")
                    .element("td", c.kind().word())
                    .element("td", CertificateLines.emails(c.emails()))
                    .element("td", c.subject())
                    .element("td", CertificateLines.date(c.notAfter()))
                    .element("td", c.validAt(now) ? "yes" : "no")
                    .element("td", c.source().word())
                    .element("td", revocation instanceof RevocationStatus.Revoked revoked
                            ? "revoked " + CertificateLines.date(revoked.revokedAt()) : revocation.word())
                    .element("td", withKey.contains(c.fingerprint()) ? "yes" : "no")
                    .raw("<td>");
            if (c.source() == CertificateSource.PENDING) {
                html.button("/certificates/approve", "Approve", csrf, "fingerprint", c.fingerprint());
            }
            html.button("/certificates/delete", "Delete", csrf, "fingerprint", c.fingerprint()).raw("</td></tr>");
        }
        return html.raw("</tbody></table>").toString();
    }

    /** Imports the uploaded file; one notice line per certificate, in the words {@code cert import} prints. */
    Layout.Notice upload(MultipartForm form) {
        MultipartForm.Upload file = form.file("file");
        if (file == null) {
            return Layout.Notice.refusal("choose a certificate file to upload");
        }
        String name = file.fileName().isEmpty() ? "upload" : file.fileName();
        return notice(CertificateImport.importFile(gateway.admin(), file.content(), name));
    }

    Layout.Notice delete(FormFields form) {
        try {
            return Layout.Notice.done(removal().deleteCertificate(form.field("fingerprint")));
        } catch (OperationRefused e) {
            return Layout.Notice.refusal(e.getMessage());
        }
    }

    Layout.Notice approve(FormFields form) {
        try {
            return Layout.Notice.done(removal().approve(form.field("fingerprint")));
        } catch (OperationRefused e) {
            return Layout.Notice.refusal(e.getMessage());
        }
    }

    CertificateRemoval removal() {
        return new CertificateRemoval(gateway.certificates(), gateway.keys(), gateway.admin());
    }

    static Layout.Notice notice(List<ImportResult> results) {
        List<String> lines = new ArrayList<>();
        List<Boolean> refused = new ArrayList<>();
        for (ImportResult r : results) {
            lines.add(r.line());
            refused.add(!r.imported());
        }
        return new Layout.Notice(lines, refused);
    }
}
