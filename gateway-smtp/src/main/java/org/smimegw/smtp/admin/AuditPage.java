package org.smimegw.smtp.admin;

import java.util.ArrayList;
import java.util.List;

import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.AuditMatches;
import org.smimegw.core.port.AuditQuery;
import org.smimegw.smtp.operations.CertificateLines;

/**
 * The audit log, newest first, in pages of {@value #PAGE_SIZE}: filtered by action ({@code ?action=}, all by
 * default) and by a text the subject, decision or detail contains ({@code ?q=}, literally, ignoring case).
 */
final class AuditPage {
    static final String PATH = "/audit";
    static final int PAGE_SIZE = 100;
    /** The word the action filter uses for every action. */
    private static final String ALL = "all";
    /** A detail is shown this long; the title holds it up to {@link #TITLE_TEXT}. */
    private static final int SHORT_TEXT = 300;
    private static final int TITLE_TEXT = 4000;

    private final AuditLog audit;

    AuditPage(AuditLog audit) {
        this.audit = audit;
    }

    String body(FormFields query) throws PageError {
        String action = query.field("action");
        String text = query.field("q");
        int requested = Paging.requested(query);
        AuditQuery wanted = new AuditQuery(ALL.equals(action) ? null : action, text);
        AuditMatches matches = audit.search(wanted, Paging.offset(requested, PAGE_SIZE), PAGE_SIZE);
        Paging.Window window = Paging.window(requested, matches.total(), PAGE_SIZE);
        if (window.page() != requested) {
            matches = audit.search(wanted, window.offset(), PAGE_SIZE);
        }
        Html html = new Html().raw("<form class=\"search\" method=\"get\" action=\"").raw(PATH).raw("\">")
                .raw("<label>Action <select name=\"action\" id=\"audit-action\"><option value=\"all\">all</option>");
        List<String> actions = new ArrayList<>(audit.actions());
        if (wanted.action() != null && !actions.contains(wanted.action())) {
            actions.add(wanted.action());
        }
        for (String a : actions) {
            html.raw("<option value=\"").text(a).raw(a.equals(wanted.action()) ? "\" selected>" : "\">").text(a)
                    .raw("</option>");
        }
        html.raw("</select></label> <label>Text <input type=\"search\" name=\"q\" id=\"audit-search\" value=\"")
                .text(text).raw("\" placeholder=\"subject, decision or detail\"></label>")
                .raw(" <button type=\"submit\" id=\"audit-filter\">Filter</button>");
        if (wanted.action() != null || wanted.text() != null) {
            html.raw(" ").link(PATH, "Show all");
        }
        html.raw("</form>");
        if (matches.total() == 0) {
            return html.raw("<p id=\"no-match\">No audit event matches.</p>").toString();
        }
        Paging.links(html, window, page -> Html.url(PATH, "action", wanted.action(), "q", text, "page", page));
        html.raw("<table id=\"audit\"><thead><tr><th>At</th><th>Action</th><th>Subject</th><th>Decision</th>"
                + "<th>Detail</th></tr></thead><tbody>");
        for (AuditEvent e : matches.events()) {
            html.raw("<tr><td class=\"time\">").text(CertificateLines.date(e.at())).raw("</td>")
                    .element("td", e.action()).wrapped(e.subject()).element("td", e.decision())
                    .raw("<td class=\"wrap\">");
            String detail = e.detail() == null ? "" : e.detail();
            html.shortened(detail.length() > TITLE_TEXT ? detail.substring(0, TITLE_TEXT) : detail, SHORT_TEXT)
                    .raw("</td></tr>");
        }
        return html.raw("</tbody></table>").toString();
    }
}
