package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.mail.smime.SMIMEEnveloped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.SmtpSubmission;
import org.smimegw.smtp.admin.AdminClient;
import org.smimegw.smtp.server.AuthUsers;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

/**
 * Issue 6's acceptance, from outside: the packaged jar's {@code run} with GreenMail as both relays. {@code /health}
 * and {@code /metrics} answer and count the messages sent; the admin page refuses an anonymous user; after a login,
 * a certificate uploaded through the page is used for the next message; a refused upload shows the failed rule.
 */
class OperatorAcceptanceIT {
    private static final String PASSWORD = "operator's secret";
    private static final String HELPDESK = "helpdesk@org.example";
    private static final String CONTACT = "alice@partner.example";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void healthAndMetricsCountTheMessagesAndACertificateUploadedThroughThePageEncryptsTheNextOne() throws Exception {
        TestPki.Issued contact = TestPki.client(CONTACT).issuedBy(TestPki.ca("Partner CA")).build();
        TestPki.Issued noEmail = TestPki.certificate().subject("Nobody", null)
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment).build();
        GreenMail upstream = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        upstream.start();
        GatewayJar jar = new GatewayJar(dir);
        int outbound = GatewayJar.freePort();
        int inbound = GatewayJar.freePort();
        int admin = GatewayJar.freePort();
        int relay = upstream.getSmtp().getPort();
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/gateway.properties"), "gateway.hostname=gw.test\n"
                + "outbound.listen=127.0.0.1:" + outbound + "\ninbound.listen=127.0.0.1:" + inbound + "\n"
                + "admin.listen=127.0.0.1:" + admin + "\n"
                + "admin.password.hash=" + AuthUsers.hash(PASSWORD.toCharArray()) + "\n"
                + "outbound.relay=127.0.0.1:" + relay + "\noutbound.relay.tls=none\n"
                + "inbound.relay=127.0.0.1:" + relay + "\ninbound.relay.tls=none\n"
                + "outbound.sign=never\noutbound.encrypt=required\n");
        GatewayJar.Started gateway = jar.start(Map.of(), List.of(), "run");
        try {
            GatewayJar.awaitText(gateway.err(), "admin page on http://127.0.0.1:" + admin, gateway.process());
            AdminClient page = new AdminClient(admin);

            HttpResponse<String> health = page.get("/health");
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"ready\":true"), health.body());

            HttpResponse<String> anonymous = page.get("/certificates");
            assertEquals(303, anonymous.statusCode());
            assertEquals("/login", anonymous.headers().firstValue("Location").orElse(""));
            assertEquals(403, page.post("/queue/hold", Map.of("id", "0000000000000000")).statusCode());

            // no certificate for the contact yet: encryption is required, so the message is refused
            String refused = send(outbound, HELPDESK, CONTACT, "before the upload");
            assertTrue(refused.startsWith("550 5.7.1 ") && refused.contains(CONTACT), refused);

            page.loginOk("admin", PASSWORD);
            // every change is answered 303, and its result shown on the page it leads to
            HttpResponse<String> imported = page.follow(page.upload("/certificates/upload", Map.of(),
                    new AdminClient.FilePart("file", "alice.pem", pem(contact)), true));
            assertTrue(imported.body().contains(" client " + CONTACT + " notAfter="), imported.body());
            HttpResponse<String> rejected = page.follow(page.upload("/certificates/upload", Map.of(),
                    new AdminClient.FilePart("file", "nobody.pem", pem(noEmail)), true));
            assertTrue(rejected.body().contains(
                    "rejected nobody.pem: no Subject Alternative Name with an e-mail address (rfc822Name)"),
                    rejected.body());

            assertTrue(send(outbound, HELPDESK, CONTACT, "after the upload").startsWith("250 "));
            assertTrue(send(inbound, CONTACT, HELPDESK, "a reply").startsWith("250 "));
            assertTrue(upstream.waitForIncomingEmail(WAIT.toMillis(), 2), "the upstream did not receive both");
            assertEncryptedTo(contact, outboundMessage(upstream));

            String metrics = await("both messages counted as delivered in /metrics", () -> {
                String text = page.get("/metrics").body();
                return value(text, "smimegw_messages_finished_total", "direction=\"outbound\"", "result=\"delivered\"")
                        == 1 && value(text, "smimegw_messages_finished_total", "direction=\"inbound\"",
                        "result=\"delivered\"") == 1 ? text : null;
            });
            assertEquals(1, value(metrics, "smimegw_intake_messages_total", "direction=\"outbound\"",
                    "outcome=\"refused\""));
            assertEquals(1, value(metrics, "smimegw_intake_messages_total", "direction=\"outbound\"",
                    "outcome=\"queued\""));
            assertEquals(1, value(metrics, "smimegw_intake_messages_total", "direction=\"inbound\"",
                    "outcome=\"queued\""));
            assertEquals(1, value(metrics, "smimegw_inbound_verdicts_total", "encryption=\"none\"",
                    "smime=\"none\""));
            assertEquals(1, value(metrics, "smimegw_outbound_treatments_total", "encrypted=\"yes\"",
                    "signed=\"no\""));
            assertTrue(metrics.contains("smimegw_processing_seconds_bucket{"), "no processing time histogram");
            assertTrue(page.seen.stream().noneMatch(seen -> seen.contains(PASSWORD) || seen.contains("$2y$")),
                    "the password or its hash was in a response");
        } finally {
            gateway.process().destroy();
            GatewayJar.Run run = jar.finish(gateway);
            upstream.stop();
            assertTrue(run.err().contains("MessageLog: done id="), "no per-message log line:\n" + run.err());
        }
    }

    private static String send(int port, String from, String to, String subject) throws Exception {
        return SmtpSubmission.send(port, from, to, ("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\n\r\nYour ticket is solved.\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] pem(TestPki.Issued issued) throws Exception {
        Path file = Files.createTempFile("upload", ".pem");
        try {
            return Files.readAllBytes(TestPki.writePem(file, issued.certificate()));
        } finally {
            Files.delete(file);
        }
    }

    private static MimeMessage outboundMessage(GreenMail upstream) throws Exception {
        for (MimeMessage m : upstream.getReceivedMessages()) {
            if (m.getContentType().contains("pkcs7-mime")) {
                return m;
            }
        }
        throw new AssertionError("no encrypted message reached the upstream");
    }

    private static void assertEncryptedTo(TestPki.Issued contact, MimeMessage delivered) throws Exception {
        RecipientInformation forContact = new SMIMEEnveloped(delivered).getRecipientInfos()
                .get(new JceKeyTransRecipientId(contact.certificate()));
        assertNotNull(forContact, "the message is not encrypted to the uploaded certificate");
        String content = new String(forContact.getContent(new JceKeyTransEnvelopedRecipient(contact.key())),
                StandardCharsets.UTF_8);
        assertTrue(content.contains("Your ticket is solved."), content);
    }

    /** The value of the one sample of {@code name} carrying every label given; 0 when there is none. */
    private static double value(String scrape, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
        while (m.find()) {
            String found = m.group(1);
            if (List.of(labels).stream().allMatch(found::contains)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    private static <T> T await(String what, Supplier<T> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
