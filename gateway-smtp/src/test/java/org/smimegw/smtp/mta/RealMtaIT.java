package org.smimegw.smtp.mta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.smime.SigningIdentity;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.Relay;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.server.ListenerConfig;

/**
 * The gateway between real SMTP software: swaks submits, a private Postfix relays, GreenMail stands in for the
 * internet (outbound) and the helpdesk (inbound). Everything on loopback, dynamic ports, bounded waits.
 */
@Timeout(180)
class RealMtaIT {
    private static final String ORG = "helpdesk@org.example";
    private static final String CONTACT = "alice@partner.example";
    private static final long DELIVERY_MILLIS = 30_000;
    private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(30);

    /** Dot lines (one a lone dot, which would end DATA unless stuffed), ASCII only. */
    private static final String DOT_BODY = "first line\n"
            + ".a line that starts with a dot\n"
            + "..two dots\n"
            + ".\n"
            + "after a line with a lone dot\n"
            + "last line\n";

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private GreenMail internet;
    private GreenMail helpdesk;
    private PostfixInstance outboundMta;
    private Gateway gateway;
    private Relay relay;
    private TestPki.Issued orgCa;
    private TestPki.Issued org;
    private TestPki.Issued partnerCa;
    private TestPki.Issued contact;

    @BeforeEach
    void start() throws Exception {
        internet = greenMail();
        helpdesk = greenMail();
        // GreenMail does not announce 8BITMIME; keep Postfix from re-encoding anything on the way
        outboundMta = PostfixInstance.builder(dir.resolve("postfix-out")).hostname("mta-out.org.example")
                .relayhost(port(internet)).parameter("disable_mime_output_conversion", "yes").start();
        closeables.add(outboundMta);

        Path properties = dir.resolve("gateway.properties");
        Files.writeString(properties, "gateway.hostname=gateway.org.example\n"
                + "store.url=jdbc:h2:file:" + dir.resolve("data/gw").toAbsolutePath() + "\n"
                + "store.master.key.file=" + dir.resolve("data/master.key").toAbsolutePath() + "\n"
                + "spool.dir=" + dir.resolve("data/spool").toAbsolutePath() + "\n"
                + "outbound.relay=127.0.0.1:" + outboundMta.port() + "\n"
                + "inbound.relay=127.0.0.1:" + port(helpdesk) + "\n"
                + "outbound.relay.tls=none\ninbound.relay.tls=none\n", StandardCharsets.UTF_8);
        GatewayConfig config = GatewayConfig.load(properties, true);

        Instant now = clock.instant();
        Instant from = now.minus(Duration.ofDays(1));
        Instant until = now.plus(Duration.ofDays(365));
        orgCa = TestPki.certificate().subject("Org Test CA", null).ca().valid(from, until).build();
        org = TestPki.client(ORG).issuedBy(orgCa).valid(from, until).build();
        partnerCa = TestPki.certificate().subject("Partner Test CA", null).ca().valid(from, until).build();
        contact = TestPki.client(CONTACT).issuedBy(partnerCa).valid(from, until).build();

        gateway = Gateway.open(config, clock);
        closeables.add(gateway);
        gateway.admin().importCertificate(orgCa.certificate(), "test");
        gateway.admin().importKey(org.key(), List.of(org.certificate()), "test");
        gateway.admin().importCertificate(partnerCa.certificate(), "test");
        gateway.admin().importCertificate(contact.certificate(), "test");

        HostPort anyPort = new HostPort("127.0.0.1", 0);
        relay = Relay.start(gateway, clock, ListenerConfig.of(config, Direction.OUTBOUND).withListen(anyPort),
                ListenerConfig.of(config, Direction.INBOUND).withListen(anyPort));
        closeables.add(relay);
    }

    @AfterEach
    void stop() throws Exception {
        Exception failure = null;
        // relay before gateway before Postfix: reverse order of start
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (internet != null) {
            internet.stop();
        }
        if (helpdesk != null) {
            helpdesk.stop();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static GreenMail greenMail() {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, PostfixInstance.HOST, ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        return greenMail;
    }

    private static int port(GreenMail greenMail) {
        return greenMail.getSmtp().getPort();
    }

    private static List<MimeMessage> messagesFor(GreenMail greenMail, String address) {
        return greenMail.findReceivedMessages(user -> user.getEmail().equals(address), m -> true)
                .collect(Collectors.toList());
    }

    private static byte[] raw(MimeMessage message) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private static byte[] rawBody(MimeMessage message) throws Exception {
        try (InputStream in = message.getRawInputStream()) {
            return in.readAllBytes();
        }
    }

    private Path file(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }

    private static String message(String from, String to, String id, String extraHeaders, String body) {
        return "From: <" + from + ">\n"
                + "To: <" + to + ">\n"
                + "Subject: real MTA " + id + "\n"
                + "Message-ID: <" + id + "@org.example>\n"
                + "Date: Thu, 1 Jan 2026 12:00:00 +0000\n"
                + extraHeaders
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=us-ascii\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "\n"
                + body;
    }

    private String explain(Swaks.Result swaks, PostfixInstance postfix) {
        StringBuilder text = new StringBuilder("\n--- swaks\n").append(swaks);
        try {
            text.append("\n--- queue of ").append(postfix).append('\n').append(postfix.queueListing())
                    .append("\n--- maillog\n").append(postfix.maillog());
        } catch (Exception e) {
            text.append("\n(could not collect the Postfix queue and maillog: ").append(e).append(')');
        }
        return text.toString();
    }

    @Test
    void outboundGoesThroughPostfixSignedAndEncrypted() throws Exception {
        Path data = file("signed.eml", message(ORG, CONTACT, "signed", "", DOT_BODY));
        Swaks.Result sent = Swaks.to("127.0.0.1", relay.outboundPort()).from(ORG).recipient(CONTACT).data(data)
                .run().assertSuccess();
        assertTrue(sent.transcript().contains("250 2.0.0 queued as"), sent::toString);

        assertTrue(internet.waitForIncomingEmail(DELIVERY_MILLIS, 1),
                "the internet received nothing" + explain(sent, outboundMta));
        outboundMta.awaitEmptyQueue(QUEUE_TIMEOUT);
        List<MimeMessage> received = messagesFor(internet, CONTACT);
        assertEquals(1, received.size(), () -> "messages for " + CONTACT + explain(sent, outboundMta));
        assertEquals(1, internet.getReceivedMessages().length);
        MimeMessage message = received.get(0);
        assertEquals("<" + ORG + ">", message.getHeader("Return-Path", null));
        String contentType = message.getContentType().toLowerCase(java.util.Locale.ROOT);
        assertTrue(contentType.startsWith("application/pkcs7-mime"), contentType);
        assertTrue(contentType.contains("enveloped-data"), contentType);
        String maillog = outboundMta.maillog();
        assertTrue(maillog.contains("to=<" + CONTACT + ">, relay=127.0.0.1[127.0.0.1]:" + port(internet)), maillog);

        // Alice can read it: decrypt with her key, verify against the org's CA, and the dot lines are there
        Path eml = dir.resolve("outbound.eml");
        Files.write(eml, raw(message));
        TestPki.writePem(dir.resolve("contact.pem"), contact.certificate());
        TestPki.writePem(dir.resolve("contact.key"), contact.key());
        TestPki.writePem(dir.resolve("org-ca.pem"), orgCa.certificate());
        Openssl openssl = new Openssl(dir);
        openssl.run("cms", "-decrypt", "-in", eml.toString(), "-recip", dir.resolve("contact.pem").toString(),
                "-inkey", dir.resolve("contact.key").toString(), "-out", dir.resolve("decrypted.eml").toString())
                .assertSuccess();
        openssl.run("cms", "-verify", "-in", dir.resolve("decrypted.eml").toString(), "-CAfile",
                dir.resolve("org-ca.pem").toString(), "-purpose", "any", "-out", dir.resolve("content.eml").toString())
                .assertSuccess();
        String content = Files.readString(dir.resolve("content.eml"), StandardCharsets.US_ASCII)
                .replace("\r\n", "\n");
        assertTrue(content.contains("\n\n" + DOT_BODY), content);
    }

    @Test
    void outboundPlainMessageKeepsItsDotLinesThroughEveryHop() throws Exception {
        Path data = file("plain.eml", message(ORG, CONTACT, "plain", "X-SMIME-Sign: no\nX-SMIME-Encrypt: no\n",
                DOT_BODY));
        Swaks.Result sent = Swaks.to("127.0.0.1", relay.outboundPort()).from(ORG).recipient(CONTACT).data(data)
                .run().assertSuccess();
        assertTrue(sent.transcript().contains("250 2.0.0 queued as"), sent::toString);
        assertTrue(sent.transcript().contains(" -> ..\n") || sent.transcript().contains(" -> ..\r\n"),
                () -> "swaks stuffed the lone dot" + sent);

        assertTrue(internet.waitForIncomingEmail(DELIVERY_MILLIS, 1),
                "the internet received nothing" + explain(sent, outboundMta));
        outboundMta.awaitEmptyQueue(QUEUE_TIMEOUT);
        List<MimeMessage> received = messagesFor(internet, CONTACT);
        assertEquals(1, received.size(), () -> "messages for " + CONTACT + explain(sent, outboundMta));
        MimeMessage message = received.get(0);
        assertEquals("<plain@org.example>", message.getMessageID());
        assertEquals(null, message.getHeader("X-SMIME-Sign"), "control headers are removed");
        assertEquals(null, message.getHeader("X-SMIME-Encrypt"), "control headers are removed");
        assertTrue(message.getContentType().startsWith("text/plain"), message.getContentType());
        String body = new String(rawBody(message), StandardCharsets.US_ASCII);
        assertEquals(DOT_BODY.replace("\n", "\r\n"), body);
    }

    @Test
    void inboundFromPostfixIsDecryptedAndVerifiedForTheHelpdesk() throws Exception {
        RawMessage answer = RawMessage.parse(message(CONTACT, ORG, "inbound", "", DOT_BODY).replace("\n", "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        RawMessage signed = new SmimeSigner(gateway.config().algorithms()).sign(answer,
                new SigningIdentity(contact.certificate(), contact.key(), List.of(partnerCa.certificate())),
                clock.instant());
        RawMessage encrypted = new SmimeEncryptor(gateway.config().algorithms()).encrypt(signed,
                List.of(org.certificate()));
        Path data = dir.resolve("inbound.eml");
        Files.write(data, encrypted.toBytes().toByteArray());

        try (PostfixInstance mx = PostfixInstance.builder(dir.resolve("postfix-in")).hostname("mx.org.example")
                .transport("org.example", relay.inboundPort()).start()) {
            Swaks.Result sent = Swaks.to(mx.host(), mx.port()).from(CONTACT).recipient(ORG).data(data).run()
                    .assertSuccess();
            assertTrue(sent.transcript().contains("250 2.0.0 Ok: queued as"), sent::toString);

            assertTrue(helpdesk.waitForIncomingEmail(DELIVERY_MILLIS, 1),
                    "the helpdesk received nothing" + explain(sent, mx));
            mx.awaitEmptyQueue(QUEUE_TIMEOUT);
            String maillog = mx.maillog();
            assertTrue(maillog.contains("to=<" + ORG + ">, relay=127.0.0.1[127.0.0.1]:" + relay.inboundPort()),
                    maillog);
            assertTrue(maillog.contains("250 2.0.0 queued as"), maillog);

            List<MimeMessage> received = messagesFor(helpdesk, ORG);
            assertEquals(1, received.size(), () -> "messages for the helpdesk" + explain(sent, mx));
            MimeMessage message = received.get(0);
            assertEquals("<" + CONTACT + ">", message.getHeader("Return-Path", null));
            String results = message.getHeader("Authentication-Results", null);
            assertTrue(results != null && results.contains("smime=pass"), "Authentication-Results: " + results);
            String encryption = message.getHeader("X-SMIME-Encryption", null);
            assertTrue(encryption != null && encryption.startsWith("decrypted"), "X-SMIME-Encryption: " + encryption);
            String text = new String(raw(message), StandardCharsets.US_ASCII).replace("\r\n", "\n");
            assertTrue(text.contains(DOT_BODY), text);
        }
    }

    @Test
    void refusedOutboundMessageIsAnsweredWith550AndGoesNowhere() throws Exception {
        String bob = "bob@nowhere.example";
        Path data = file("refused.eml", message(ORG, bob, "refused", "X-SMIME-Encrypt: yes\n", "Secret.\n"));
        Swaks.Result sent = Swaks.to("127.0.0.1", relay.outboundPort()).from(ORG).recipient(bob).data(data).run();
        assertNotEquals(0, sent.exitCode(), sent::toString);
        assertTrue(sent.transcript().contains("<** 550 5.7.1"), sent::toString);
        assertFalse(sent.transcript().contains("queued as"), sent::toString);

        // bounded: had the gateway queued it, it would reach the internet within a second or two
        assertFalse(internet.waitForIncomingEmail(3_000, 1), "the refused message was delivered" + explain(sent,
                outboundMta));
        assertTrue(outboundMta.isQueueEmpty(), () -> explain(sent, outboundMta));
        assertFalse(outboundMta.maillog().contains(bob), outboundMta::maillog);
        assertEquals(0, internet.getReceivedMessages().length);
    }
}
