package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.smime.SigningIdentity;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.delivery.ScriptedRelay;
import org.smimegw.smtp.server.ListenerConfig;
import org.subethamail.smtp.RejectException;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * End to end, in-process: the real listeners, the H2 queue in a temporary directory and the delivery workers, with
 * GreenMail or a {@link ScriptedRelay} as the upstream MTA and the helpdesk's mail endpoint.
 */
class RelayIT {
    private static final String ORG = "helpdesk@org.example";
    private static final String CONTACT = "alice@partner.example";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern QUEUED = Pattern.compile("^250 2\\.0\\.0 queued as <?([^>\\s]+)>?");

    private static TestPki.Issued orgCa;
    private static TestPki.Issued org;
    private static TestPki.Issued partnerCa;
    private static TestPki.Issued contact;

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Running running;
    private GreenMail greenMail;
    private ScriptedRelay scripted;
    private ScriptedRelay helpdesk;

    @BeforeAll
    static void pki() {
        orgCa = TestPki.ca("Org CA");
        org = TestPki.client(ORG).issuedBy(orgCa).build();
        partnerCa = TestPki.ca("Partner CA");
        contact = TestPki.client(CONTACT).issuedBy(partnerCa).build();
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
        if (scripted != null) {
            scripted.close();
        }
        if (helpdesk != null) {
            helpdesk.close();
        }
    }

    @Test
    void outboundMessageIsSignedAndEncryptedForTheContact() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true);

        String reply = SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Your ticket", "", "Hello Alice,\r\n\r\nyour ticket is solved.\r\n"));

        String id = queueId(reply);
        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1), "nothing reached the upstream");
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(1, received.length);
        assertTrue(received[0].getContentType().toLowerCase().startsWith("application/pkcs7-mime"),
                received[0].getContentType());
        assertEquals(CONTACT, received[0].getAllRecipients()[0].toString());
        awaitQueue("message " + id + " removed after delivery", () -> running.gateway.queue().find(id).isEmpty());

        Path work = Files.createDirectories(dir.resolve("openssl"));
        Files.write(work.resolve("outbound.eml"), bytes(received[0]));
        TestPki.writePem(work.resolve("contact.pem"), contact.certificate());
        TestPki.writePem(work.resolve("contact.key"), contact.key());
        TestPki.writePem(work.resolve("org-ca.pem"), orgCa.certificate());
        Openssl openssl = new Openssl(work);
        openssl.run("cms", "-decrypt", "-in", "outbound.eml", "-recip", "contact.pem", "-inkey", "contact.key",
                "-out", "decrypted.eml").assertSuccess();
        openssl.run("cms", "-verify", "-in", "decrypted.eml", "-CAfile", "org-ca.pem", "-purpose", "any",
                "-signer", "signer.pem", "-out", "plain.eml").assertSuccess();
        String plain = Files.readString(work.resolve("plain.eml"), StandardCharsets.UTF_8);
        assertTrue(plain.contains("your ticket is solved."), plain);
        assertEquals(org.certificate(), certificate(work.resolve("signer.pem")));
    }

    @Test
    void inboundMessageIsDecryptedAndVerified() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true);
        GatewayConfig config = running.gateway.config();
        RawMessage answer = RawMessage.parse(message(CONTACT, ORG, "Re: Your ticket", "", "Thanks, all good.\r\n"));
        RawMessage signed = new SmimeSigner(config.algorithms()).sign(answer, new SigningIdentity(
                contact.certificate(), contact.key(), List.of(partnerCa.certificate())), clock.instant());
        RawMessage encrypted = new SmimeEncryptor(config.algorithms()).encrypt(signed, List.of(org.certificate()));

        String reply = SmtpSubmission.send(running.relay.inboundPort(), CONTACT, ORG, encrypted.toBytes().toByteArray());

        queueId(reply);
        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1), "nothing reached the inbound relay");
        MimeMessage delivered = greenMail.getReceivedMessages()[0];
        assertEquals(ORG, delivered.getAllRecipients()[0].toString());
        String results = delivered.getHeader("Authentication-Results", null);
        assertNotNull(results);
        assertTrue(results.replaceAll("\\s+", " ").startsWith("gateway.test; smime=pass"), results);
        String encryption = delivered.getHeader("X-SMIME-Encryption", null).replaceAll("\\s+", " ");
        assertTrue(encryption.startsWith("decrypted"), encryption);
        String orgFingerprint = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(org.certificate().getEncoded()));
        assertTrue(encryption.contains(orgFingerprint), encryption + " names the org's certificate " + orgFingerprint);
        String text = new String(bytes(delivered), StandardCharsets.UTF_8);
        assertTrue(text.contains("Thanks, all good."), text);
    }

    @Test
    void requiredEncryptionWithoutCertificateIsRefusedAndNothingIsQueued() throws Exception {
        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", true);
        String bob = "bob@nowhere.example";

        String reply = SmtpSubmission.send(running.relay.outboundPort(), ORG, bob,
                message(ORG, bob, "Secret", "X-SMIME-Encrypt: yes\r\n", "Nobody can read this.\r\n"));

        assertTrue(reply.startsWith("550 5.7.1 "), reply);
        assertTrue(reply.contains(bob), reply);
        assertEquals(List.of(), running.gateway.queue().list());
        assertFalse(greenMail.waitForIncomingEmail(500, 1), "a refused message reached the upstream");
    }

    @Test
    void temporaryFailureIsRetriedUntilDelivered() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean(true);
        scripted = ScriptedRelay.start(deferringWhile(refuse));
        running = start(scripted.port(), scripted.port(), "1s", true);

        String id = queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Retry", "", "Second time lucky.\r\n")));

        QueueEntry deferred = awaitEntry(id, e -> e.attempts() == 1 && e.leaseOwner() == null);
        assertEquals(QueueState.QUEUED, deferred.state());
        assertEquals(List.of(CONTACT), deferred.pendingRecipients());
        assertTrue(deferred.lastResult().contains("451"), deferred.lastResult());
        assertNull(scripted.poll());
        refuse.set(false);

        ScriptedRelay.Received received = scripted.next(WAIT);
        assertEquals(List.of(CONTACT), received.recipients());
        assertTrue(new String(received.content(), StandardCharsets.ISO_8859_1).contains("application/pkcs7-mime"));
        awaitQueue("message " + id + " removed after delivery", () -> running.gateway.queue().find(id).isEmpty());
    }

    @Test
    void permanentFailureBouncesAnRfc3464ReportToTheSender() throws Exception {
        scripted = ScriptedRelay.start(new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                throw new RejectException(550, "5.1.1 no such user " + address);
            }
        });
        // not GreenMail: it answers MAIL FROM:<> with 250 but then RCPT with 503 (greenmail issue #28)
        helpdesk = ScriptedRelay.start(ScriptedRelay.ACCEPT_ALL);
        running = start(scripted.port(), helpdesk.port(), "1s", true);

        String id = queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Bounce me", "", "Nobody home.\r\n")));

        ScriptedRelay.Received dsn = helpdesk.next(WAIT);
        assertEquals("", dsn.sender(), "a DSN has the null sender");
        assertEquals(List.of(ORG), dsn.recipients());
        String text = new String(dsn.content(), StandardCharsets.ISO_8859_1);
        RawMessage report = RawMessage.parse(dsn.content());
        String contentType = report.header("Content-Type").orElseThrow().replaceAll("\\s+", " ").toLowerCase();
        assertTrue(contentType.startsWith("multipart/report;"), contentType);
        assertTrue(contentType.contains("report-type=delivery-status"), contentType);
        assertTrue(text.contains("Content-Type: message/delivery-status"), text);
        assertTrue(text.contains("Final-Recipient: rfc822; " + CONTACT), text);
        assertTrue(text.contains("Action: failed"), text);
        assertTrue(text.contains("Diagnostic-Code: smtp; 550 5.1.1 no such user"), text);
        assertNull(scripted.poll(), "the refused message reached the upstream");
        awaitQueue("queue empty after the bounce", () -> running.gateway.queue().list().isEmpty());
        assertTrue(running.gateway.queue().find(id).isEmpty());
    }

    @Test
    void heldMessageIsNotDeliveredUntilReleased() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean(true);
        scripted = ScriptedRelay.start(deferringWhile(refuse));
        // a long interval: only explicit retries and the release make the message due again
        running = start(scripted.port(), scripted.port(), "1h", true);
        String id = queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Hold me", "", "Wait for it.\r\n")));
        awaitEntry(id, e -> e.attempts() == 1 && e.leaseOwner() == null);

        assertTrue(running.gateway.queue().hold(id));
        refuse.set(false);
        assertFalse(running.gateway.queue().retry(id, clock.instant()), "a held message was made due");
        running.relay.wakeUp();

        assertNull(scripted.poll(Duration.ofMillis(2500)), "a held message was delivered");
        QueueEntry held = running.gateway.queue().find(id).orElseThrow();
        assertEquals(QueueState.HELD, held.state());
        assertEquals(1, held.attempts());

        assertTrue(running.gateway.queue().release(id, clock.instant()));
        running.relay.wakeUp();
        ScriptedRelay.Received received = scripted.next(WAIT);
        assertEquals(List.of(CONTACT), received.recipients());
        awaitQueue("message " + id + " removed after delivery", () -> running.gateway.queue().find(id).isEmpty());
    }

    @Test
    void queuedMessageIsDeliveredAfterARestart() throws Exception {
        int closed = closedPort();
        running = start(closed, closed, "1s", true);
        String id = queueId(SmtpSubmission.send(running.relay.outboundPort(), ORG, CONTACT,
                message(ORG, CONTACT, "Survive a restart", "", "Still here.\r\n")));
        awaitEntry(id, e -> e.attempts() >= 1 && e.leaseOwner() == null);
        running.close();
        running = null;

        greenMail = greenMail();
        running = start(greenMail.getSmtp().getPort(), greenMail.getSmtp().getPort(), "1s", false);
        assertEquals(List.of(id), running.gateway.queue().list().stream().map(QueueEntry::id).toList());

        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1), "the queued message was not delivered");
        MimeMessage delivered = greenMail.getReceivedMessages()[0];
        assertEquals(CONTACT, delivered.getAllRecipients()[0].toString());
        assertTrue(delivered.getContentType().toLowerCase().startsWith("application/pkcs7-mime"));
        awaitQueue("message " + id + " removed after delivery", () -> running.gateway.queue().find(id).isEmpty());
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** A gateway and its relay, closed together. */
    private record Running(Gateway gateway, Relay relay) implements AutoCloseable {
        @Override
        public void close() {
            try {
                relay.close();
            } finally {
                gateway.close();
            }
        }
    }

    /** An upstream that answers 451 to every recipient while {@code refuse} is set. */
    private static ScriptedRelay.Script deferringWhile(AtomicBoolean refuse) {
        return new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                if (refuse.get()) {
                    throw new RejectException(451, "4.3.0 try again later");
                }
            }
        };
    }

    /** Writes the configuration (same store on every call), opens the gateway and starts the relay. */
    private Running start(int outboundRelayPort, int inboundRelayPort, String retryIntervals, boolean importPki)
            throws IOException {
        Path properties = dir.resolve("gateway.properties");
        Files.writeString(properties, "gateway.hostname=gateway.test\n"
                + "store.url=jdbc:h2:file:" + dir.resolve("gw").toAbsolutePath() + "\n"
                + "store.master.key.file=" + dir.resolve("master.key").toAbsolutePath() + "\n"
                + "spool.dir=" + dir.resolve("spool").toAbsolutePath() + "\n"
                + "outbound.relay=127.0.0.1:" + outboundRelayPort + "\n"
                + "inbound.relay=127.0.0.1:" + inboundRelayPort + "\n"
                + "outbound.relay.tls=none\ninbound.relay.tls=none\n"
                + "delivery.retry.intervals=" + retryIntervals + "\n"
                + "delivery.connect.timeout=5s\ndelivery.read.timeout=20s\n");
        GatewayConfig config = GatewayConfig.load(properties, true);
        Gateway gateway = Gateway.open(config, clock);
        try {
            if (importPki) {
                gateway.admin().importCertificate(orgCa.certificate(), "test");
                gateway.admin().importKey(org.key(), List.of(org.certificate()), "test");
                gateway.admin().importCertificate(partnerCa.certificate(), "test");
                gateway.admin().importCertificate(contact.certificate(), "test");
            }
            HostPort anyPort = new HostPort("127.0.0.1", 0);
            Relay relay = Relay.start(gateway, clock,
                    ListenerConfig.of(config, Direction.OUTBOUND).withListen(anyPort),
                    ListenerConfig.of(config, Direction.INBOUND).withListen(anyPort));
            return new Running(gateway, relay);
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    private static GreenMail greenMail() {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        return mail;
    }

    /** A loopback port nobody listens on (bound once, then closed). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String queueId(String reply) {
        Matcher matcher = QUEUED.matcher(reply);
        assertTrue(matcher.find(), "not queued: " + reply);
        return matcher.group(1);
    }

    private static byte[] message(String from, String to, String subject, String extraHeaders, String body) {
        String text = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n" + extraHeaders
                + "Message-ID: <" + UUID.randomUUID() + "@test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + body;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private QueueEntry awaitEntry(String id, java.util.function.Predicate<QueueEntry> condition) {
        QueueEntry[] last = new QueueEntry[1];
        awaitQueue(() -> "queue entry " + id + " in the expected state (last seen: " + last[0] + ")", () -> {
                    Optional<QueueEntry> entry = running.gateway.queue().find(id);
                    last[0] = entry.orElse(null);
                    return entry.filter(condition).isPresent();
                });
        return last[0];
    }

    private static void awaitQueue(String what, BooleanSupplier condition) {
        awaitQueue(() -> what, condition);
    }

    private static void awaitQueue(Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
