package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** SIZE, counted DATA size, recipient cap, connection limit, idle timeout. */
class SmtpLimitsTest {
    @Test
    void refusesADeclaredSizeAboveTheLimitAtMail() throws Exception {
        try (TestListener server = TestListener.builder().maxBytes(1000).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertEquals("552 5.3.4 message size exceeds fixed maximum message size of 1000 bytes",
                    client.command("MAIL FROM:<a@example.com> SIZE=1001"));
            assertTrue(client.command("MAIL FROM:<a@example.com> SIZE=1000").startsWith("250 "));
        }
    }

    @Test
    void countsDataBytesAndRefusesAnUndeclaredOversizeMessageAfterItsEnd() throws Exception {
        try (TestListener server = TestListener.builder().maxBytes(1000).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<a@example.com>");
            client.command("RCPT TO:<b@example.org>");
            client.command("DATA");
            String line = "x".repeat(998) + "\r\n";
            client.write(line.repeat(200) + ".\r\nNOOP\r\n");
            assertEquals("552 5.3.4 message exceeds fixed maximum message size of 1000 bytes", client.readReply());
            assertEquals("250 2.0.0 ok", client.readReply());
            assertTrue(server.arrivals.isEmpty());
            // exactly the limit is fine
            client.command("MAIL FROM:<a@example.com>");
            client.command("RCPT TO:<b@example.org>");
            client.command("DATA");
            client.write("y".repeat(998) + "\r\n.\r\n");
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            assertEquals(1000, server.only().content().length());
        }
    }

    @Test
    void refusesRecipientsBeyondTheCapWithFourFiftyTwo() throws Exception {
        try (TestListener server = TestListener.builder().maxRecipients(2).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<a@example.com>");
            assertTrue(client.command("RCPT TO:<r1@example.org>").startsWith("250 "));
            assertTrue(client.command("RCPT TO:<r2@example.org>").startsWith("250 "));
            assertEquals("452 4.5.3 too many recipients", client.command("RCPT TO:<r3@example.org>"));
            assertEquals("452 4.5.3 too many recipients", client.command("RCPT TO:<r4@example.org>"));
            client.command("DATA");
            client.write("Subject: x\r\n\r\nx\r\n.\r\n");
            assertTrue(client.readReply().startsWith("250 "));
            assertEquals(List.of("r1@example.org", "r2@example.org"), server.only().recipients());
        }
    }

    @Test
    void turnsAwayConnectionsAboveTheLimitWithFourTwentyOne() throws Exception {
        try (TestListener server = TestListener.builder().maxConnections(2).start()) {
            List<RawSmtpClient> open = new ArrayList<>();
            try {
                open.add(RawSmtpClient.connect(server.port()));
                open.add(RawSmtpClient.connect(server.port()));
                try (RawSmtpClient third = RawSmtpClient.connect(server.port())) {
                    assertTrue(third.greeting().startsWith("421 "), third.greeting());
                    assertTrue(third.closedByServer());
                }
                assertEquals("250 2.0.0 ok", open.get(0).command("NOOP"));
                open.remove(0).close();
                // once the server has noticed the closed session, a new one is welcome again
                Await.until("a new connection is greeted with 220", Duration.ofSeconds(10), () -> {
                    try (RawSmtpClient next = RawSmtpClient.connect(server.port())) {
                        return next.greeting().startsWith("220 ");
                    } catch (IOException e) {
                        return false;
                    }
                });
            } finally {
                for (RawSmtpClient client : open) {
                    client.close();
                }
            }
        }
    }

    @Test
    void closesASessionThatFallsSilentInsideDataWithoutCallingTheHandler() throws Exception {
        try (TestListener server = TestListener.builder().timeout(Duration.ofSeconds(1)).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<a@example.com>");
            client.command("RCPT TO:<b@example.org>");
            client.command("DATA");
            client.write("Subject: half\r\n\r\nand then nothing");
            assertTrue(client.readReply().startsWith("421 "));
            assertTrue(client.closedByServer());
            assertTrue(server.arrivals.isEmpty());
        }
    }

    @Test
    void closesIdleSessionsAfterTheTimeout() throws Exception {
        try (TestListener server = TestListener.builder().timeout(Duration.ofSeconds(1)).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertTrue(client.readReply().startsWith("421 "));
            assertTrue(client.closedByServer());
        }
    }
}
