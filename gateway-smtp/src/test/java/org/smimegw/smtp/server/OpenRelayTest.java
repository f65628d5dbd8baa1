package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.smimegw.core.queue.Direction;

/**
 * Not an open relay: a client outside {@code smtp.allowed.clients} relays only after AUTH, and AUTH only inside
 * TLS. A client inside relays to any domain: the gateway sits between the helpdesk and one MTA, which decides
 * where mail may go (docs/design.md §1, §3.4, §7).
 */
class OpenRelayTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;
    private TestTls tls;
    private Path users;

    @BeforeEach
    void files() throws Exception {
        tls = TestTls.rsa(dir);
        users = Files.writeString(dir.resolve("users"), "helpdesk:" + AuthUsersTest.quickHash("2y", PASSWORD) + "\n");
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void strangerWithoutAuthIsRefusedEveryRecipientOnBothListeners(Direction direction) throws Exception {
        try (TestListener server = TestListener.builder().direction(direction).allowed("192.0.2.0/24").start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<a@example.com>");
            for (String recipient : List.of("b@example.org", "postmaster@gw.example.test", "c%evil.example@gw.example.test")) {
                assertEquals("550 5.7.1 relaying denied for <" + recipient + ">",
                        client.command("RCPT TO:<" + recipient + ">"));
            }
            assertEquals("554 5.5.1 no valid recipients", client.command("DATA"));
            assertTrue(server.arrivals.isEmpty());
        }
    }

    @Test
    void strangerWhoseAuthFailedIsStillRefused() throws Exception {
        try (TestListener server = TestListener.builder().allowed("192.0.2.0/24").tls(tls).users(users).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.startTls(tls.clientContext());
            client.command("EHLO client.test");
            assertTrue(client.command("AUTH PLAIN " + plain("helpdesk", "wrong")).startsWith("535 "));
            client.command("MAIL FROM:<a@example.com>");
            assertEquals("550 5.7.1 relaying denied for <b@example.org>", client.command("RCPT TO:<b@example.org>"));
        }
    }

    @Test
    void authBeforeStarttlsIsRefusedWhenTlsIsRequired() throws Exception {
        try (TestListener server = TestListener.builder().allowed("192.0.2.0/24").tls(tls).tlsRequired()
                .users(users).start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertEquals("538 5.7.11 encryption required for requested authentication mechanism",
                    client.command("AUTH PLAIN " + plain("helpdesk", PASSWORD)));
            assertEquals("530 5.7.0 Must issue a STARTTLS command first", client.command("MAIL FROM:<a@example.com>"));
            client.startTls(tls.clientContext());
            client.command("EHLO client.test");
            assertEquals("235 2.7.0 authentication successful",
                    client.command("AUTH PLAIN " + plain("helpdesk", PASSWORD)));
            SmtpListenerTest.sendMessage(client);
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
        }
    }

    @Test
    void allowedClientRelaysToAnyDomain() throws Exception {
        try (TestListener server = TestListener.builder().allowed("127.0.0.0/8").start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<helpdesk@example.com>");
            for (String recipient : List.of("a@example.org", "b@customer.example", "c@xn--bcher-kva.example")) {
                assertTrue(client.command("RCPT TO:<" + recipient + ">").startsWith("250 "), recipient);
            }
            client.command("DATA");
            client.write("Subject: x\r\n\r\nbody\r\n.\r\n");
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            assertEquals(3, server.only().recipients().size());
        }
    }
}
