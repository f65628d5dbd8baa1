package org.smimegw.smtp.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void escapesMarkupQuotesAndControlCharacters() {
        assertEquals("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
                Html.escape("<a href=\"x\" onclick='y'>&</a>"));
        assertEquals("a\ufffdb\ufffdc", Html.escape("a\u0000b\u001bc"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void buttonsCarryTheCsrfTokenAndEscapedFields() {
        String form = new Html().button("/certificates/delete", "Delete", "tok", "fingerprint", "\"><x").toString();
        assertEquals("<form class=\"inline\" method=\"post\" action=\"/certificates/delete\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"tok\">"
                + "<input type=\"hidden\" name=\"fingerprint\" value=\"&quot;&gt;&lt;x\">"
                + "<button type=\"submit\">Delete</button></form>", form);
    }
}
