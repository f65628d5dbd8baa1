package org.smimegw.smtp.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.helpdesk.SubjectField;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.QueueStats;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.operations.OperationRefused;
import org.smimegw.smtp.operations.QueueActions;

/**
 * The queue: the counts per state, pages of {@value #PAGE_SIZE} messages with the actions that apply to each one's
 * state (as {@code queue retry|hold|release|delete} does them; delete after a confirmation), and the view of one
 * message with its recipients, verdicts and header fields. No page ever shows a message's body.
 */
final class QueuePage {
    static final String PATH = "/queue";
    static final String VIEW = PATH + "/view";
    static final String DELETE = PATH + "/delete";
    static final int PAGE_SIZE = 50;
    /** The list shows this much of a subject and a last result; the whole text is in the title. */
    private static final int SHORT_TEXT = 80;
    /** The list shows this many recipients of a message; the view shows all. */
    private static final int LISTED_RECIPIENTS = 3;
    /** Header fields are looked for in this much of the start of a message, so that a large body is never read. */
    private static final int HEADER_BYTES = 256 * 1024;
    /** The view lists this many header fields, and how many more there are. */
    private static final int MAX_FIELDS = 500;

    private final Gateway gateway;
    private final Clock clock;
    private final QueueActions actions;

    QueuePage(Gateway gateway, Clock clock, Runnable wakeUp) {
        this.gateway = gateway;
        this.clock = clock;
        this.actions = new QueueActions(gateway, clock, wakeUp);
    }

    String list(Sessions.Session session, FormFields query) throws PageError {
        int requested = Paging.requested(query);
        Html html = new Html();
        QueueStats stats = gateway.queue().stats();
        html.raw("<p class=\"counts\" id=\"queue-counts\">");
        for (QueueState state : QueueState.values()) {
            long count = 0;
            for (Direction direction : Direction.values()) {
                count += stats.count(direction, state);
            }
            html.raw("<span class=\"count " + state.word() + "\">").text(state.word() + ": " + count).raw("</span> ");
        }
        html.raw("</p>");
        List<QueueEntry> entries = gateway.queue().list();
        if (entries.isEmpty()) {
            return html.raw("<p>The queue is empty.</p>").toString();
        }
        Paging.Window window = Paging.window(requested, entries.size(), PAGE_SIZE);
        Paging.links(html, window, page -> Html.url(PATH, "page", page));
        html.raw("<table id=\"queue\"><thead><tr><th>Id, direction</th><th>State</th><th>Subject</th>"
                + "<th>Sender</th><th>Recipients</th><th>Size</th><th>Received</th><th>Next attempt</th>"
                + "<th>Attempts</th><th>Last result</th><th></th></tr></thead><tbody>");
        Instant now = clock.instant();
        for (QueueEntry e : window.of(entries)) {
            html.raw("<tr id=\"message-").text(e.id()).raw("\" class=\"").text(e.state().word()).raw("\">")
                    .raw("<td class=\"mono\">").link(Html.url(VIEW, "id", e.id()), e.id())
                    .raw("<span class=\"relative\">").text(e.direction().word()).raw("</span></td>")
                    .element("td", e.state().word())
                    .raw("<td class=\"wrap subject\">").shortened(subject(e.id()), SHORT_TEXT).raw("</td>")
                    .wrapped(sender(e))
                    .raw("<td class=\"wrap\">");
            List<RecipientStatus> recipients = e.recipients();
            for (RecipientStatus r : recipients.subList(0, Math.min(LISTED_RECIPIENTS, recipients.size()))) {
                html.raw("<span class=\"recipient\">").text(r.address()).raw(" <span class=\"state\">")
                        .text(r.state().word()).raw("</span></span>");
            }
            if (recipients.size() > LISTED_RECIPIENTS) {
                html.raw("<span class=\"recipient\">").text("and " + (recipients.size() - LISTED_RECIPIENTS)
                        + " more").raw("</span>");
            }
            html.raw("</td><td class=\"number\">").text(Display.size(e.size())).raw("</td><td>");
            Display.instant(html, e.receivedAt(), now);
            html.raw("</td><td>");
            Display.instant(html, e.nextAttemptAt(), now);
            html.raw("</td><td class=\"number\">").text(e.attempts()).raw("</td><td class=\"wrap\">")
                    .shortened(e.lastResult(), SHORT_TEXT).raw("</td><td class=\"actions\">");
            actions(html, e, session.csrf());
            html.raw("</td></tr>");
        }
        return html.raw("</tbody></table>").toString();
    }

    /** One message: its entry, recipients and verdicts, and its header fields; never its body. */
    String view(Sessions.Session session, FormFields query) throws PageError {
        QueueEntry e = find(query.field("id"));
        Instant now = clock.instant();
        Html html = new Html().raw("<p class=\"actions\">");
        actions(html, e, session.csrf());
        html.raw("</p><table class=\"fields\" id=\"message-fields\"><tbody>");
        html.field("Id", e.id());
        html.field("Direction", e.direction().word());
        html.field("State", e.state().word());
        html.field("Sender", sender(e));
        html.field("Size", Display.size(e.size()) + " (" + e.size() + " bytes)");
        html.raw("<tr><th>Received</th><td>");
        Display.instant(html, e.receivedAt(), now);
        html.raw("</td></tr><tr><th>Next attempt</th><td>");
        Display.instant(html, e.nextAttemptAt(), now);
        html.raw("</td></tr>");
        html.field("Attempts", e.attempts() + (e.unfinishedAttempts() > 1
                ? " (" + (e.unfinishedAttempts() - 1) + " more ended without a result)" : ""));
        html.field("Last result", e.lastResult() == null ? "-" : e.lastResult());
        if (e.leaseOwner() != null) {
            html.field("Leased by", e.leaseOwner() + " until " + Display.minute(e.leaseUntil()));
        }
        html.field("Verdicts", e.verdicts() == null ? "-" : e.verdicts());
        html.raw("</tbody></table><h2>Recipients</h2><table class=\"wrap\" id=\"recipients\"><thead><tr>"
                + "<th>Address</th><th>State</th><th>Last reply</th></tr></thead><tbody>");
        for (RecipientStatus r : e.recipients()) {
            html.row(r.address(), r.state().word(), r.lastReply() == null ? "-" : r.lastReply());
        }
        html.raw("</tbody></table><h2>Header fields</h2>");
        Optional<RawMessage> message = header(e.id());
        if (message.isEmpty()) {
            return html.raw("<p>The message's content is no longer stored.</p>").toString();
        }
        html.raw("<table class=\"fields\" id=\"headers\"><tbody>");
        int more = 0;
        for (HeaderField field : message.get().headers()) {
            if (field.fieldCount() == 1) {
                html.field(field.name(), SubjectField.decoded(field));
            } else {
                // the fields past MAX_FIELDS, kept together by the parser
                more += field.fieldCount();
            }
        }
        html.raw("</tbody></table>");
        if (more > 0) {
            html.element("p", more + " more header fields are not shown.");
        }
        return html.toString();
    }

    /** The page that asks before a message is deleted, with a confirmation token for it alone. */
    String confirmDelete(Sessions.Session session, FormFields query) throws PageError {
        QueueEntry e = find(query.field("id"));
        return new Html().raw("<p>This deletes the ").text(e.state().word() + " " + e.direction().word())
                .raw(" message <code>").text(e.id()).raw("</code>, subject \u201c").text(subject(e.id()))
                .raw("\u201d, from ").text(sender(e)).raw(" to ")
                .text(String.join(", ", e.recipients().stream().map(RecipientStatus::address).toList()))
                .raw(".</p><p class=\"danger\">The message is then not delivered to the recipients still pending (")
                .text(e.pendingRecipients().isEmpty() ? "none" : String.join(", ", e.pendingRecipients()))
                .raw("), and no bounce tells its sender.</p>")
                .confirmation(DELETE, session.csrf(), "id", e.id(), session.confirmation(DELETE, e.id()), PATH)
                .toString();
    }

    /** Runs retry, hold or release on the message named by the form's {@code id}; null for another action. */
    Layout.Notice act(String action, FormFields form) {
        String id = form.field("id");
        return switch (action) {
            case "retry" -> CertificatesPage.refusable(actions::retry, id);
            case "hold" -> CertificatesPage.refusable(actions::hold, id);
            case "release" -> CertificatesPage.refusable(actions::release, id);
            default -> null;
        };
    }

    /** Deletes a message once its deletion was confirmed. */
    Layout.Notice delete(String id) {
        return CertificatesPage.refusable(actions::delete, id);
    }

    /** The actions that apply to the message's state; {@link QueueActions} refuses the others all the same. */
    private static void actions(Html html, QueueEntry e, String csrf) {
        switch (e.state()) {
            case QUEUED -> html.button("/queue/retry", "Retry", csrf, "id", e.id()).raw(" ")
                    .button("/queue/hold", "Hold", csrf, "id", e.id());
            case HELD -> html.button("/queue/release", "Release", csrf, "id", e.id());
            case UNPROCESSED -> html.button("/queue/release", "Process again", csrf, "id", e.id());
        }
        html.raw(" ").buttonLink(Html.url(DELETE, "id", e.id()), "Delete");
    }

    private QueueEntry find(String id) throws PageError {
        try {
            return actions.find(id);
        } catch (OperationRefused e) {
            throw PageError.notFound(e.getMessage());
        }
    }

    /** The start of the stored message parsed for its header fields; empty when the message is gone. */
    private Optional<RawMessage> header(String id) {
        return gateway.queue().content(id).map(content -> RawMessage.parse(
                content.length() > HEADER_BYTES ? content.slice(0, HEADER_BYTES) : content, MAX_FIELDS));
    }

    /** The message's Subject as a reader sees it, or empty. */
    private String subject(String id) {
        return header(id).flatMap(m -> m.headers().stream().filter(h -> h.is(SubjectField.NAME)).findFirst())
                .map(SubjectField::decoded).orElse("");
    }

    private static String sender(QueueEntry e) {
        return e.nullSender() ? "<>" : e.sender();
    }
}
