package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.delivery.ScriptedRelay;
import org.smimegw.smtp.server.ListenerConfig;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * What the end-to-end relay tests ({@link RelayIT}, {@link RelayQueueIT}) share: the real listeners, the H2 queue
 * in a temporary directory and the delivery workers, with GreenMail or a {@link ScriptedRelay} as the upstream MTA
 * and the helpdesk's mail endpoint; a test PKI for the org and its contact; messages; bounded waits on the queue.
 * Whatever a test started is stopped after it.
 */
abstract class RelayFixture {
    static final String ORG = "helpdesk@org.example";
    static final String CONTACT = "alice@partner.example";
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern QUEUED = Pattern.compile("^250 2\\.0\\.0 queued as <?([^>\\s]+)>?");

    static TestPki.Issued orgCa;
    static TestPki.Issued org;
    static TestPki.Issued partnerCa;
    static TestPki.Issued contact;

    @TempDir
    Path dir;

    final Clock clock = Clock.systemUTC();
    Running running;
    GreenMail greenMail;
    ScriptedRelay scripted;
    ScriptedRelay helpdesk;

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

    /** A gateway and its relay, closed together. */
    static final class Running implements AutoCloseable {
        final Gateway gateway;
        final Relay relay;

        Running(Gateway gateway, Relay relay) {
            this.gateway = gateway;
            this.relay = relay;
        }

        @Override
        public void close() {
            try {
                relay.close();
            } finally {
                gateway.close();
            }
        }
    }

    /** Writes the configuration (same store on every call), opens the gateway and starts the relay. */
    Running start(int outboundRelayPort, int inboundRelayPort, String retryIntervals, boolean importPki)
            throws IOException {
        return start(outboundRelayPort, inboundRelayPort, retryIntervals, importPki, "");
    }

    /** As above, with more configuration lines ({@code key=value\n} each). */
    Running start(int outboundRelayPort, int inboundRelayPort, String retryIntervals, boolean importPki,
            String moreProperties) throws IOException {
        Path properties = dir.resolve("gateway.properties");
        Files.writeString(properties, "gateway.hostname=gateway.test\n"
                + "store.url=jdbc:h2:file:" + dir.resolve("gw").toAbsolutePath() + "\n"
                + "store.master.key.file=" + dir.resolve("master.key").toAbsolutePath() + "\n"
                + "spool.dir=" + dir.resolve("spool").toAbsolutePath() + "\n"
                + "outbound.relay=127.0.0.1:" + outboundRelayPort + "\n"
                + "inbound.relay=127.0.0.1:" + inboundRelayPort + "\n"
                + "outbound.relay.tls=none\ninbound.relay.tls=none\n"
                + "delivery.retry.intervals=" + retryIntervals + "\n"
                + "delivery.connect.timeout=5s\ndelivery.read.timeout=20s\n" + moreProperties);
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

    static GreenMail greenMail() {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        return mail;
    }

    /** A loopback port nobody listens on (bound once, then closed). */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String queueId(String reply) {
        Matcher matcher = QUEUED.matcher(reply);
        assertTrue(matcher.find(), "not queued: " + reply);
        return matcher.group(1);
    }

    static byte[] message(String from, String to, String subject, String extraHeaders, String body) {
        String text = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n" + extraHeaders
                + "Message-ID: <" + UUID.randomUUID() + "@test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + body;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    QueueEntry awaitEntry(String id, Predicate<QueueEntry> condition) {
        QueueEntry[] last = new QueueEntry[1];
        awaitQueue(() -> "queue entry " + id + " in the expected state (last seen: " + last[0] + ")", () -> {
                    Optional<QueueEntry> entry = running.gateway.queue().find(id);
                    last[0] = entry.orElse(null);
                    return entry.filter(condition).isPresent();
                });
        return last[0];
    }

    static void awaitQueue(String what, BooleanSupplier condition) {
        awaitQueue(() -> what, condition);
    }

    static void awaitQueue(Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
