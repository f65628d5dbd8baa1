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

    @Test
    void linksPercentEncodeTheirValuesBeforeEscapingAndLeaveEmptyOnesOut() {
        String url = Html.url("/certificates", "q", "a&b \"<x>' %_\\", "sort", "", "page", 2);
        assertEquals("/certificates?q=a%26b+%22%3Cx%3E%27+%25_%5C&page=2", url);
        assertEquals("<a href=\"/certificates?q=a%26b+%22%3Cx%3E%27+%25_%5C&amp;page=2\">&lt;next&gt;</a>",
                new Html().link(url, "<next>").toString());
        assertEquals("/queue", Html.url("/queue", "page", null));
    }

    @Test
    void aLongValueIsCutWithTheWholeOfItInTheTitle() {
        assertEquals("<span title=\"abcdef&lt;\">abc\u2026</span>", new Html().shortened("abcdef<", 4).toString());
        assertEquals("ab&lt;", new Html().shortened("ab<", 4).toString());
        assertEquals("", new Html().shortened(null, 4).toString());
    }
}
