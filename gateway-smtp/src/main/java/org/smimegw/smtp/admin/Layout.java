package org.smimegw.smtp.admin;

import java.util.List;

/**
 * The frame around every admin page: title, navigation (the section of the page marked current), the logout button
 * and result notices.
 */
final class Layout {
    private static final List<String[]> NAVIGATION = List.of(
            new String[] {"/certificates", "Certificates"},
            new String[] {"/keys", "Organisation keys"},
            new String[] {"/queue", "Queue"},
            new String[] {"/audit", "Audit log"});

    private Layout() {
    }

    /**
     * A page for a logged-in user.
     *
     * @param section the path of the navigation entry the page belongs to, e.g. {@code /certificates} for a
     *                certificate's view
     * @param csrf the session's token for the logout form
     * @param notice the result of the last change, or null
     */
    static String page(String title, String section, String user, String csrf, Notice notice, String body) {
        Html html = head(title);
        html.raw("<header><nav>");
        for (String[] link : NAVIGATION) {
            html.raw(link[0].equals(section) ? "<a class=\"current\" aria-current=\"page\" href=\"" : "<a href=\"")
                    .raw(link[0] + "\">" + link[1] + "</a> ");
        }
        html.raw("</nav><div class=\"user\">").text(user).raw(" ")
                .button("/logout", "Log out", csrf).raw("</div></header><main>");
        html.element("h1", title);
        if (notice != null) {
            notice.render(html);
        }
        return html.raw(body).raw("</main></body></html>").toString();
    }

    /** A page outside a session (login, errors). */
    static String plain(String title, String body) {
        return head(title).raw("<main>").element("h1", title).raw(body).raw("</main></body></html>").toString();
    }

    private static Html head(String title) {
        return new Html().raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<link rel=\"stylesheet\" href=\"/style.css\"><title>").text(title)
                .raw(" - S/MIME gateway</title></head><body>");
    }

    /**
     * The result of an action shown above the page: each line is marked as done or refused.
     *
     * @param lines the result lines, e.g. {@code imported ...} or {@code rejected <file>: <reason>}
     * @param refused for each line, whether it reports a refusal
     */
    record Notice(List<String> lines, List<Boolean> refused) {
        static Notice done(String line) {
            return new Notice(List.of(line), List.of(false));
        }

        static Notice refusal(String line) {
            return new Notice(List.of(line), List.of(true));
        }

        void render(Html html) {
            html.raw("<ul class=\"notice\">");
            for (int i = 0; i < lines.size(); i++) {
                html.raw(refused.get(i) ? "<li class=\"refused\">" : "<li class=\"done\">").text(lines.get(i))
                        .raw("</li>");
            }
            html.raw("</ul>");
        }
    }
}
