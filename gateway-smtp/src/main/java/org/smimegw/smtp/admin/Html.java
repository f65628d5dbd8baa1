package org.smimegw.smtp.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds the admin page's HTML. Every value that comes from data (subject DNs, reasons, addresses, file names) goes
 * through {@link #text}, which escapes it for element content and quoted attribute values alike; a link built from
 * data is made with {@link #url}, which percent-encodes the values, and then escaped like any value.
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

    /**
     * A path of this server with query parameters given as name, value pairs, each value percent-encoded; a null or
     * empty value is left out.
     */
    static String url(String path, Object... parameters) {
        StringBuilder url = new StringBuilder(path);
        char separator = '?';
        for (int i = 0; i + 1 < parameters.length; i += 2) {
            String value = parameters[i + 1] == null ? "" : parameters[i + 1].toString();
            if (!value.isEmpty()) {
                url.append(separator).append(parameters[i]).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return url.toString();
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

    /** {@code <a href="...">text</a>}, both escaped; build the address with {@link #url}. */
    Html link(String href, Object text) {
        return raw("<a href=\"").text(href).raw("\">").text(text).raw("</a>");
    }

    /** The value cut to {@code max} characters with an ellipsis, the whole of it in the title; as it is when short. */
    Html shortened(String value, int max) {
        if (value == null || value.length() <= max) {
            return text(value);
        }
        return raw("<span title=\"").text(value).raw("\">").text(value.substring(0, max - 1) + "\u2026")
                .raw("</span>");
    }

    /** A data cell whose text may break anywhere (addresses, DNs, free text), so that no value widens the table. */
    Html wrapped(Object value) {
        return raw("<td class=\"wrap\">").text(value).raw("</td>");
    }

    /** A row of a table of fields: the label as its header cell, the value as its data cell, both escaped. */
    Html field(String label, Object value) {
        return raw("<tr>").element("th", label).element("td", value).raw("</tr>");
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
        hidden(fields);
        return raw("<button type=\"submit\">").text(label).raw("</button></form>");
    }

    /** A link that looks like a button, for an action that asks first (a delete goes to its confirmation). */
    Html buttonLink(String href, String label) {
        return raw("<a class=\"button\" href=\"").text(href).raw("\">").text(label).raw("</a>");
    }

    /**
     * The form of a confirmation page: a "Delete" button that posts the target and the one-time confirmation token
     * with the CSRF token, and a "Cancel" link back.
     */
    Html confirmation(String action, String csrfToken, String field, String target, String confirmation,
            String cancel) {
        raw("<form class=\"box confirm\" method=\"post\" action=\"").text(action).raw("\">");
        csrf(csrfToken);
        hidden(field, target, "confirmation", confirmation);
        return raw("<button type=\"submit\" class=\"danger\" id=\"confirm-delete\">Delete</button> ")
                .raw("<a href=\"").text(cancel).raw("\" id=\"cancel-delete\">Cancel</a></form>");
    }

    private void hidden(String... fields) {
        for (int i = 0; i + 1 < fields.length; i += 2) {
            raw("<input type=\"hidden\" name=\"").text(fields[i]).raw("\" value=\"").text(fields[i + 1]).raw("\">");
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
