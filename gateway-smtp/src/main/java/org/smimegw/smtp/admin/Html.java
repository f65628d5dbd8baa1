package org.smimegw.smtp.admin;

/**
 * Builds the admin page's HTML. Every value that comes from data (subject DNs, reasons, addresses, file names) goes
 * through {@link #text}, which escapes it for element content and quoted attribute values alike.
 */
final class Html {
    private final StringBuilder out = new StringBuilder(4096);

    /** Escapes {@code & < > " '} and replaces control characters, so nothing in a value can become markup. */
    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c < 0x20 && c != '\n' && c != '\t' || c == 0x7f ? '\ufffd' : c);
            }
        }
        return s.toString();
    }

    /** Literal markup written by this package, never data. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Escaped data. */
    Html text(Object value) {
        out.append(escape(value == null ? "" : value.toString()));
        return this;
    }

    /** {@code <tag>escaped value</tag>}. */
    Html element(String tag, Object value) {
        return raw("<" + tag + ">").text(value).raw("</" + tag + ">");
    }

    /** A table row of escaped cells. */
    Html row(Object... cells) {
        raw("<tr>");
        for (Object cell : cells) {
            element("td", cell);
        }
        return raw("</tr>");
    }

    /** The hidden field with the session's CSRF token that every form carries. */
    Html csrf(String token) {
        return raw("<input type=\"hidden\" name=\"csrf\" value=\"").text(token).raw("\">");
    }

    /** A one-button POST form with hidden fields (name, value pairs) and the CSRF token. */
    Html button(String action, String label, String csrfToken, String... fields) {
        raw("<form class=\"inline\" method=\"post\" action=\"").text(action).raw("\">");
        csrf(csrfToken);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            raw("<input type=\"hidden\" name=\"").text(fields[i]).raw("\" value=\"").text(fields[i + 1]).raw("\">");
        }
        return raw("<button type=\"submit\">").text(label).raw("</button></form>");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
