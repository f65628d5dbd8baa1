package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** STARTTLS and AUTH: with Angus Mail as a normal client, and byte by byte for what a normal client won't do. */
class SmtpTlsAuthTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;
    private TestTls tls;
    private Path users;

    @BeforeEach
    void files() throws Exception {
        tls = TestTls.rsa(dir);
        users = Files.writeString(dir.resolve("users"), "# test users\nhelpdesk:"
                + AuthUsersTest.quickHash("2y", PASSWORD) + "\n");
    }

    /** A listener that lets no network relay: only AUTH does. */
    private TestListener authListener() {
        return TestListener.builder().allowed("192.0.2.0/24").tls(tls).users(users).start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "LOGIN"})
    void relaysForAnAuthenticatedClientAfterStarttls(String mechanism) throws Exception {
        try (TestListener server = authListener()) {
            SMTPTransport transport = connect(server.port(), mechanism, "helpdesk", PASSWORD);
            try {
                MimeMessage message = new MimeMessage((Session) null);
                message.setFrom("helpdesk@example.com");
                message.setRecipients(Message.RecipientType.TO, "customer@example.org");
                message.setSubject("ticket");
                message.setText("solved");
                transport.sendMessage(message, InternetAddress.parse("customer@example.org"));
                Arrival arrival = server.only();
                assertEquals("250 2.0.0 queued as " + arrival.id(), transport.getLastServerResponse().strip());
                assertTrue(arrival.receivedHeader().contains(" with ESMTPSA id " + arrival.id() + ";"),
                        arrival.receivedHeader());
                assertEquals("helpdesk@example.com", arrival.sender());
                assertTrue(new String(arrival.content().toByteArray(), StandardCharsets.UTF_8).contains("\r\n\r\nsolved"));
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void refusesAWrongPasswordWithFiveThirtyFive() throws Exception {
        try (TestListener server = authListener()) {
            assertThrows(AuthenticationFailedException.class,
                    () -> connect(server.port(), "PLAIN", "helpdesk", "wrong"));
            assertThrows(AuthenticationFailedException.class,
                    () -> connect(server.port(), "LOGIN", "nobody", PASSWORD));
        }
    }

    @Test
    void offersAuthOnlyInsideTlsAndRefusesItBefore() throws Exception {
        try (TestListener server = authListener(); RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            String before = client.command("EHLO client.test");
            assertTrue(before.contains("250-STARTTLS"), before);
            assertFalse(before.contains("AUTH"), before);
            assertEquals("538 5.7.11 encryption required for requested authentication mechanism",
                    client.command("AUTH PLAIN " + plain("helpdesk", PASSWORD)));
            client.command("MAIL FROM:<a@example.com>");
            assertEquals("550 5.7.1 relaying denied for <b@example.org>", client.command("RCPT TO:<b@example.org>"));
            client.command("RSET");

            client.startTls(tls.clientContext());
            assertEquals("503 5.5.1 send EHLO or HELO first", client.command("MAIL FROM:<a@example.com>"));
            String inside = client.command("EHLO client.test");
            assertTrue(inside.contains("250-AUTH PLAIN LOGIN"), inside);
            assertFalse(inside.contains("STARTTLS"), inside);
            assertEquals("235 2.7.0 authentication successful",
                    client.command("AUTH PLAIN " + plain("helpdesk", PASSWORD)));
            assertEquals("503 5.5.1 already authenticated", client.command("AUTH LOGIN"));
            SmtpListenerTest.sendMessage(client);
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            assertTrue(server.only().receivedHeader().contains(" with ESMTPSA id "));
        }
    }

    @Test
    void runsTheLoginExchangeAndHonoursCancel() throws Exception {
        try (TestListener server = authListener(); RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.command("EHLO client.test");
            client.startTls(tls.clientContext());
            client.command("EHLO client.test");
            assertEquals("334 VXNlcm5hbWU6", client.command("AUTH LOGIN"));
            assertEquals("501 5.7.0 authentication cancelled", client.command("*"));
            assertEquals("334 ", client.command("AUTH PLAIN"));
            assertEquals("501 5.5.2 invalid base64 data", client.command("not base64!"));
            assertEquals("504 5.5.4 unsupported authentication mechanism", client.command("AUTH CRAM-MD5"));
            assertEquals("334 UGFzc3dvcmQ6", client.command("AUTH LOGIN " + base64("helpdesk")));
            assertEquals("235 2.7.0 authentication successful", client.command(base64(PASSWORD)));
        }
    }

    @Test
    void closesTheSessionAfterThreeFailedAttempts() throws Exception {
        try (TestListener server = authListener(); RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.command("EHLO client.test");
            client.startTls(tls.clientContext());
            client.command("EHLO client.test");
            String wrong = "AUTH PLAIN " + plain("helpdesk", "guess");
            assertEquals("535 5.7.8 authentication credentials invalid", client.command(wrong));
            assertEquals("535 5.7.8 authentication credentials invalid",
                    client.command("AUTH PLAIN " + plain("nobody", "guess")));
            assertEquals("421 4.7.0 too many failed authentication attempts", client.command(wrong));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void refusesPlainWithAnotherAuthorizationIdentity() throws Exception {
        try (TestListener server = authListener(); RawSmtpClient client = RawSmtpClient.connect(server.port())) {
            client.command("EHLO client.test");
            client.startTls(tls.clientContext());
            client.command("EHLO client.test");
            String other = Base64.getEncoder().encodeToString(("admin\0helpdesk\0" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals("535 5.7.8 authentication credentials invalid", client.command("AUTH PLAIN " + other));
            String same = Base64.getEncoder().encodeToString(("helpdesk\0helpdesk\0" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals("235 2.7.0 authentication successful", client.command("AUTH PLAIN " + same));
        }
    }

    @Test
    void requiresStarttlsBeforeMailWhenTlsIsRequired() throws Exception {
        try (TestListener server = TestListener.builder().tls(tls).tlsRequired().start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertEquals("530 5.7.0 Must issue a STARTTLS command first", client.command("MAIL FROM:<a@example.com>"));
            client.startTls(tls.clientContext());
            client.command("EHLO client.test");
            SmtpListenerTest.sendMessage(client);
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
            assertTrue(server.only().receivedHeader().contains(" with ESMTPS id "));
        }
    }

    @Test
    void offersNoAuthWithoutAUsersFile() throws Exception {
        try (TestListener server = TestListener.builder().tls(tls).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.startTls(tls.clientContext());
            assertFalse(client.command("EHLO client.test").contains("AUTH"));
            assertEquals("502 5.5.1 AUTH not supported", client.command("AUTH PLAIN " + plain("a", "b")));
            assertEquals("503 5.5.1 TLS already active", client.command("STARTTLS"));
        }
    }

    @Test
    void closesTheConnectionOnCommandsPipelinedAfterStarttls() throws Exception {
        try (TestListener server = TestListener.builder().tls(tls).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.write("STARTTLS\r\nMAIL FROM:<injected@example.com>\r\n");
            assertEquals("554 5.5.1 improper command pipelining after STARTTLS", client.readReply());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void closesTheConnectionWhenTheHandshakeFails() throws Exception {
        try (TestListener server = TestListener.builder().tls(tls).start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertEquals("220 2.0.0 ready to start TLS", client.command("STARTTLS"));
            client.write("MAIL FROM:<plain@example.com>\r\n");
            // at most a TLS alert, never an SMTP reply to the plain-text command
            assertFalse(new String(client.readUntilClosed(), StandardCharsets.ISO_8859_1).contains("250"));
            assertTrue(server.arrivals.isEmpty());
        }
    }

    @Test
    void refusesStarttlsWhenNoCertificateIsConfigured() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertEquals("502 5.5.1 STARTTLS not supported", client.command("STARTTLS"));
            assertEquals("502 5.5.1 AUTH not supported", client.command("AUTH PLAIN"));
        }
    }

    private SMTPTransport connect(int port, String mechanism, String user, String password) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", Integer.toString(port));
        properties.put("mail.smtp.localhost", "client.test");
        properties.put("mail.smtp.starttls.enable", "true");
        properties.put("mail.smtp.starttls.required", "true");
        properties.put("mail.smtp.ssl.socketFactory", tls.clientContext().getSocketFactory());
        properties.put("mail.smtp.ssl.checkserveridentity", "true");
        properties.put("mail.smtp.auth", "true");
        properties.put("mail.smtp.auth.mechanisms", mechanism);
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "10000");
        SMTPTransport transport = (SMTPTransport) Session.getInstance(properties).getTransport("smtp");
        transport.connect(user, password);
        return transport;
    }

    private static String plain(String user, String password) {
        return base64("\0" + user + "\0" + password);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
