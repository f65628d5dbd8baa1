package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReceivedHeaderTest {
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void hasTheDocumentedFormWithFoldedCrLfLines() throws Exception {
        String header = ReceivedHeader.build("mail.example.com", InetAddress.getByName("192.0.2.10"),
                "gw.example.test", "ESMTPS", "0123456789abcdef", AT, ZoneOffset.UTC);
        assertEquals("Received: from mail.example.com (unknown [192.0.2.10])\r\n"
                + "\tby gw.example.test with ESMTPS id 0123456789abcdef;\r\n"
                + "\tMon, 1 Jun 2026 12:00:00 +0000\r\n", header);
    }

    @Test
    void writesTheDateInTheClockZoneAndIpv6WithItsTag() throws Exception {
        String header = ReceivedHeader.build("[IPv6:2001:db8::1]", InetAddress.getByName("2001:db8::1"),
                "gw.example.test", "ESMTP", "0123456789abcdef", AT, ZoneId.of("Europe/Berlin"));
        assertTrue(header.startsWith("Received: from [IPv6:2001:db8::1] (unknown [IPv6:2001:db8:0:0:0:0:0:1])\r\n"),
                header);
        assertTrue(header.endsWith("\tMon, 1 Jun 2026 14:00:00 +0200\r\n"), header);
    }

    @Test
    void namesTheProtocolAfterRfc3848() {
        assertEquals("SMTP", ReceivedHeader.protocol(false, false, false));
        assertEquals("ESMTP", ReceivedHeader.protocol(true, false, false));
        assertEquals("ESMTPS", ReceivedHeader.protocol(true, true, false));
        assertEquals("ESMTPSA", ReceivedHeader.protocol(true, true, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail.example.com", "localhost", "a-b.example", "mx1.example.com.", "[192.0.2.1]",
        "[IPv6:::1]", "[ipv6:2001:db8::ff]", "xn--bcher-kva.example"})
    void keepsHostNamesAndAddressLiterals(String helo) {
        assertEquals(helo, ReceivedHeader.safeHelo(helo));
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil\r\nX-Injected: yes", "evil\nBcc: victim@example.org", "host (comment)",
        "host;by other", "b\u00fccher.example", "host name", "-host.example", "host..example", "[300.1.1.1]",
        "[IPv6:zz::1]", "[1.2.3.4", "a_b.example", "host\u0000", "\"quoted\"", "", "(", ")", ";"})
    void replacesAnythingElseByUnknown(String helo) {
        assertEquals("[unknown]", ReceivedHeader.safeHelo(helo));
        String header = ReceivedHeader.build(helo, InetAddress.getLoopbackAddress(), "gw.example.test", "ESMTP",
                "0123456789abcdef", AT, ZoneOffset.UTC);
        assertTrue(header.startsWith("Received: from [unknown] (unknown [127.0.0.1])\r\n"), header);
        assertEquals(3, header.split("\r\n").length);
        assertEquals(header.length(), header.getBytes(StandardCharsets.US_ASCII).length);
        assertTrue(header.chars().allMatch(c -> c == '\r' || c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)));
    }

    @Test
    void refusesOverlongNames() {
        assertEquals("[unknown]", ReceivedHeader.safeHelo(("a".repeat(60) + ".").repeat(5) + "example"));
    }
}
