package org.smimegw.smtp.admin;

import org.smimegw.core.port.AuditEvent;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.operations.CertificateLines;

/** The most recent audit events, newest first, as {@code log} prints them. */
final class AuditPage {
    static final String PATH = "/audit";
    static final int LIMIT = 100;
    private final Gateway gateway;

    AuditPage(Gateway gateway) {
        this.gateway = gateway;
    }

    String body() {
        Html html = new Html().raw("<p>The most recent " + LIMIT + " events, newest first.</p>")
                .raw("<table id=\"audit\"><thead><tr><th>At</th><th>Action</th><th>Subject</th><th>Decision</th>"
                        + "<th>Detail</th></tr></thead><tbody>");
        for (AuditEvent e : gateway.audit().recent(LIMIT)) {
            html.row(CertificateLines.date(e.at()), e.action(), e.subject(), e.decision(),
                    e.detail() == null ? "" : e.detail());
        }
        return html.raw("</tbody></table>").toString();
    }
}
