package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMTP smuggling (SEC Consult, December 2023): a second message hidden behind an end-of-data lookalike that
 * another MTA would take for the end. Here only CRLF.CRLF ends DATA; any bare CR or LF refuses the whole message, and
 * the smuggled commands are never executed.
 */
class SmtpSmugglingTest {
    private static final String SMUGGLED = "MAIL FROM:<admin@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n"
            + "From: admin@example.com\r\nSubject: smuggled\r\n\r\nsmuggled\r\n";

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r.\r", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\n.\r", "\r\n.\r", "\n\n.\n\n"})
    void refusesTheWholeMessageAndExecutesNoSmuggledCommand(String lookalike) throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<a@example.com>");
            client.command("RCPT TO:<b@example.org>");
            assertTrue(client.command("DATA").startsWith("354 "));
            client.write("From: a@example.com\r\nSubject: first\r\n\r\nfirst" + lookalike + SMUGGLED + ".\r\n");
            assertEquals(DataCommand.BARE_LINE_END, client.readReply());
            // the next reply is NOOP's: no reply to a smuggled MAIL, RCPT or DATA is pending
            assertEquals("250 2.0.0 ok", client.command("NOOP"));
            assertTrue(server.arrivals.isEmpty(), "handler called: " + server.arrivals);
            // and the session still works
            SmtpListenerTest.sendMessage(client);
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
        }
    }

    @Test
    void keepsANulDotLineAsPlainContent() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<a@example.com>");
            client.command("RCPT TO:<b@example.org>");
            client.command("DATA");
            client.write("Subject: first\r\n\r\nfirst\r\n\0.\r\n" + SMUGGLED + ".\r\n");
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            assertEquals("250 2.0.0 ok", client.command("NOOP"));
            assertEquals(1, server.arrivals.size());
            String content = new String(server.only().content().toByteArray(), StandardCharsets.ISO_8859_1);
            assertTrue(content.endsWith("\0.\r\n" + SMUGGLED), content);
        }
    }

    @Test
    void refusesBareLineFeedsAndCarriageReturnsInOtherwiseNormalMessages() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            for (String body : new String[] {"Subject: lf\n\nbody\r\n", "Subject: cr\r\n\r\nbo\rdy\r\n"}) {
                client.command("MAIL FROM:<a@example.com>");
                client.command("RCPT TO:<b@example.org>");
                client.command("DATA");
                client.write(body + ".\r\n");
                assertEquals("550 5.5.2 message contains bare CR or LF, not allowed (RFC 5321 2.3.8)",
                        client.readReply());
            }
            assertTrue(server.arrivals.isEmpty());
        }
    }

    @Test
    void closesTheSessionOnABareLineFeedInACommand() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.write("MAIL FROM:<a@example.com>\nRCPT TO:<b@example.org>\r\n");
            assertTrue(client.readReply().startsWith("501 "));
            assertTrue(client.closedByServer());
        }
    }
}
