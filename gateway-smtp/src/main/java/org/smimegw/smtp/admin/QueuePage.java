package org.smimegw.smtp.admin;

import java.time.Clock;
import java.util.List;

import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.operations.CertificateLines;
import org.smimegw.smtp.operations.OperationRefused;
import org.smimegw.smtp.operations.QueueActions;

/** The queue: one row per message, with retry, hold, release and delete as {@code queue ...} does them. */
final class QueuePage {
    static final String PATH = "/queue";
    private static final List<String> ACTIONS = List.of("retry", "hold", "release", "delete");
    private final Gateway gateway;
    private final QueueActions actions;

    QueuePage(Gateway gateway, Clock clock, Runnable wakeUp) {
        this.gateway = gateway;
        this.actions = new QueueActions(gateway, clock, wakeUp);
    }

    String body(String csrf) {
        List<QueueEntry> entries = gateway.queue().list();
        if (entries.isEmpty()) {
            return "<p>The queue is empty.</p>";
        }
        Html html = new Html().raw("<table id=\"queue\"><thead><tr><th>Id</th><th>Direction</th><th>State</th>"
                + "<th>Sender</th><th>Recipients</th><th>Received</th><th>Next attempt</th><th>Attempts</th>"
                + "<th>Last result</th><th></th></tr></thead><tbody>");
        for (QueueEntry e : entries) {
            html.raw("<tr><td class=\"mono\">").text(e.id()).raw("</td>")
                    .element("td", e.direction().word())
                    .element("td", e.state().word())
                    .element("td", e.nullSender() ? "<>" : e.sender())
                    .element("td", String.join(", ", e.recipients().stream().map(QueuePage::recipient).toList()))
                    .element("td", CertificateLines.date(e.receivedAt()))
                    .element("td", CertificateLines.date(e.nextAttemptAt()))
                    .element("td", e.attempts())
                    .element("td", e.lastResult() == null ? "" : e.lastResult())
                    .raw("<td>");
            for (String action : ACTIONS) {
                html.button("/queue/" + action, action, csrf, "id", e.id());
            }
            html.raw("</td></tr>");
        }
        return html.raw("</tbody></table>").toString();
    }

    /** Runs one action on the message named by the form's {@code id}; null for an unknown action. */
    Layout.Notice act(String action, FormFields form) {
        String id = form.field("id");
        try {
            return switch (action) {
                case "retry" -> Layout.Notice.done(actions.retry(id));
                case "hold" -> Layout.Notice.done(actions.hold(id));
                case "release" -> Layout.Notice.done(actions.release(id));
                case "delete" -> Layout.Notice.done(actions.delete(id));
                default -> null;
            };
        } catch (OperationRefused e) {
            return Layout.Notice.refusal(e.getMessage());
        }
    }

    private static String recipient(RecipientStatus r) {
        return r.address() + " (" + r.state().word() + ")";
    }
}
