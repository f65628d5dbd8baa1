package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.MutableClock;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.testing.InMemoryMessageQueue;
import org.smimegw.smtp.config.GatewayConfig;
import org.subethamail.smtp.RejectException;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** The workers end to end: in-memory queue, the real Angus Mail upstream, fake relays on loopback. */
class DeliveryServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final InMemoryMessageQueue queue = new InMemoryMessageQueue(audit);
    private final List<AutoCloseable> relays = new ArrayList<>();
    private DeliveryService service;

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            assertTrue(service.stop(Duration.ofSeconds(10)));
        }
        for (AutoCloseable relay : relays) {
            relay.close();
        }
    }

    private ScriptedRelay relay(ScriptedRelay.Script script) {
        ScriptedRelay relay = ScriptedRelay.start(script);
        relays.add(relay);
        return relay;
    }

    /** Relays on loopback without TLS, 2 workers, retries after 1m then 5m, give up after 10m; then overrides. */
    GatewayConfig config(int outboundPort, int inboundPort, String... overrides) {
        Properties p = new Properties();
        p.setProperty("gateway.hostname", "gw.example.org");
        p.setProperty("outbound.relay", "127.0.0.1:" + outboundPort);
        p.setProperty("inbound.relay", "127.0.0.1:" + inboundPort);
        p.setProperty("outbound.relay.tls", "none");
        p.setProperty("inbound.relay.tls", "none");
        p.setProperty("delivery.retry.intervals", "1m,5m");
        p.setProperty("delivery.max.age", "10m");
        p.setProperty("delivery.connect.timeout", "5s");
        p.setProperty("delivery.read.timeout", "10s");
        p.setProperty("delivery.workers", "2");
        p.setProperty("delivery.lease.time", "1m");
        for (String override : overrides) {
            String[] kv = override.split("=", 2);
            p.setProperty(kv[0], kv[1]);
        }
        return GatewayConfig.load(dir.resolve("absent.properties"), false, Map.of(), p);
    }

    private void start(GatewayConfig config) {
        service = new DeliveryService(config, queue, audit, clock, "node1");
        service.start();
    }

    private String enqueue(Direction direction, String sender, List<String> recipients) {
        String id = QueueIds.next(clock.instant());
        queue.enqueue(id, direction, sender, recipients, SmtpUpstreamFixture.MESSAGE, clock.instant());
        service.wakeUp();
        return id;
    }

    private static String dsnId(AuditEvent bounced) {
        String detail = bounced.detail();
        return detail.substring(detail.indexOf("dsn=") + 4).split(" ")[0];
    }

    private static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    private static String deliveryStatus(MimeMessage dsn) throws Exception {
        try (InputStream in = ((MimeMultipart) dsn.getContent()).getBodyPart(1).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void deliversAnOutboundMessageToGreenMailWithTheQueuedBytes() throws Exception {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        relays.add(greenMail::stop);
        int port = greenMail.getSmtp().getPort();
        start(config(port, closedPort()));

        String id = enqueue(Direction.OUTBOUND, "alice@example.org", List.of("bob@example.net"));

        AuditEvent delivered = audit.await(id, "delivered", WAIT);
        assertEquals("delivery", delivered.action());
        assertTrue(delivered.detail().startsWith("to=bob@example.net relay=127.0.0.1:" + port + " reply=250"),
                delivered.detail());
        assertTrue(delivered.detail().endsWith(" tls=no"), delivered.detail());
        assertTrue(queue.find(id).isEmpty(), "delivered messages leave the queue");
        assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1));
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        greenMail.getReceivedMessages()[0].writeTo(stored);
        String text = stored.toString(StandardCharsets.ISO_8859_1);
        // without GreenMail's Return-Path and Received lines, and with the CRLF it drops before the final dot
        String body = text.substring(text.indexOf("\r\n", text.indexOf("\r\nReceived: ") + 2) + 2) + "\r\n";
        assertArrayEquals(SmtpUpstreamFixture.MESSAGE, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void temporaryRefusalAtRcptIsRetriedWhenDue() throws Exception {
        Set<String> greylisted = ConcurrentHashMap.newKeySet();
        ScriptedRelay relay = relay(new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                if (greylisted.add(address)) {
                    throw new RejectException(451, "4.7.1 greylisted, try again later");
                }
            }
        });
        start(config(relay.port(), closedPort()));

        String id = enqueue(Direction.OUTBOUND, "alice@example.org", List.of("bob@example.net"));

        AuditEvent deferred = audit.await(id, "deferred", WAIT);
        assertTrue(deferred.detail().contains("reply=451 4.7.1 greylisted"), deferred.detail());
        QueueEntry entry = queue.find(id).orElseThrow();
        assertEquals(1, entry.attempts());
        assertEquals(START.plus(Duration.ofMinutes(1)), entry.nextAttemptAt());
        assertEquals(new RecipientStatus("bob@example.net", RecipientStatus.State.PENDING,
                "451 4.7.1 greylisted, try again later"), entry.recipients().get(0));
        assertTrue(entry.lastResult().startsWith("1 deferred until " + START.plus(Duration.ofMinutes(1))),
                entry.lastResult());

        clock.advance(Duration.ofMinutes(1));
        service.wakeUp();

        audit.await(id, "delivered", WAIT);
        assertTrue(queue.find(id).isEmpty());
        assertArrayEquals(SmtpUpstreamFixture.MESSAGE, relay.next(WAIT).content());
    }

    @Test
    void permanentRefusalOfOneRecipientBouncesItAndDeliversTheOther() throws Exception {
        ScriptedRelay mta = relay(new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                if (address.startsWith("nobody")) {
                    throw new RejectException(550, "5.1.1 <" + address + ">: Recipient address rejected");
                }
            }
        });
        ScriptedRelay helpdesk = relay(ScriptedRelay.ACCEPT_ALL);
        start(config(mta.port(), helpdesk.port()));

        String id = enqueue(Direction.OUTBOUND, "alice@example.org", List.of("nobody@example.net", "bob@example.net"));

        assertEquals(List.of("bob@example.net"), mta.next(WAIT).recipients());
        AuditEvent delivered = audit.await(id, "delivered", WAIT);
        assertTrue(delivered.detail().startsWith("to=bob@example.net "), delivered.detail());
        AuditEvent bounced = audit.await(id, "bounced", WAIT);
        assertTrue(bounced.detail().startsWith("to=nobody@example.net relay=127.0.0.1:" + mta.port()),
                bounced.detail());
        assertTrue(bounced.detail().contains("550 5.1.1 <nobody@example.net>: Recipient address rejected"),
                bounced.detail());

        // the DSN travels back the way the message came: inbound, to the helpdesk, from the null sender
        String dsnId = dsnId(bounced);
        ScriptedRelay.Received dsn = helpdesk.next(WAIT);
        assertEquals("", dsn.sender());
        assertEquals(List.of("alice@example.org"), dsn.recipients());
        AuditEvent dsnDelivered = audit.await(dsnId, "delivered", WAIT);
        assertTrue(dsnDelivered.detail().contains("relay=127.0.0.1:" + helpdesk.port()), dsnDelivered.detail());
        MimeMessage report = parse(dsn.content());
        assertTrue(report.isMimeType("multipart/report"));
        assertEquals("<" + dsnId + "@gw.example.org>", report.getMessageID());
        String status = deliveryStatus(report);
        assertTrue(status.contains("Final-Recipient: rfc822; nobody@example.net\r\n"), status);
        assertTrue(status.contains("Status: 5.1.1\r\n"), status);
        assertTrue(status.contains("Remote-MTA: dns; 127.0.0.1\r\n"), status);
        assertTrue(status.contains(
                "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected\r\n"), status);
        assertTrue(!status.contains("bob@example.net"), status);
        assertTrue(queue.list().isEmpty(), queue.list().toString());
    }

    @Test
    void refusalAfterDataBouncesEveryRecipient() throws Exception {
        ScriptedRelay helpdesk = relay(new ScriptedRelay.Script() {
            @Override
            public void data(byte[] content) throws RejectException {
                throw new RejectException(554, "5.6.0 message content rejected");
            }
        });
        ScriptedRelay mta = relay(ScriptedRelay.ACCEPT_ALL);
        start(config(mta.port(), helpdesk.port()));

        // an inbound message: its bounce goes outbound, to the MTA
        String id = enqueue(Direction.INBOUND, "carol@example.com", List.of("support@example.org",
                "sales@example.org"));

        AuditEvent bounced = audit.await(id, "bounced", WAIT);
        assertTrue(bounced.detail().startsWith("to=support@example.org,sales@example.org "), bounced.detail());
        ScriptedRelay.Received dsn = mta.next(WAIT);
        assertEquals("", dsn.sender());
        assertEquals(List.of("carol@example.com"), dsn.recipients());
        String status = deliveryStatus(parse(dsn.content()));
        assertTrue(status.contains("Final-Recipient: rfc822; support@example.org\r\n"), status);
        assertTrue(status.contains("Final-Recipient: rfc822; sales@example.org\r\n"), status);
        assertEquals(2, status.split("Diagnostic-Code: smtp; 554 5.6.0 message content rejected\r\n", -1).length - 1,
                status);
        assertTrue(status.contains("Status: 5.6.0\r\n"), status);
    }

    @Test
    void expiryBouncesWithStatus447AndTheLastReply() throws Exception {
        ScriptedRelay mta = relay(new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                throw new RejectException(451, "4.3.0 mailbox temporarily unavailable");
            }
        });
        ScriptedRelay helpdesk = relay(ScriptedRelay.ACCEPT_ALL);
        start(config(mta.port(), helpdesk.port()));

        String id = enqueue(Direction.OUTBOUND, "alice@example.org", List.of("bob@example.net"));
        audit.await(id, "deferred", 1, WAIT);
        clock.advance(Duration.ofMinutes(1));
        service.wakeUp();
        audit.await(id, "deferred", 2, WAIT);
        assertEquals(START.plus(Duration.ofMinutes(6)), queue.find(id).orElseThrow().nextAttemptAt());
        clock.advance(Duration.ofMinutes(5));
        service.wakeUp();
        // a third wait (5m) would end after 10m: cut short, the last attempt falls on the maximum age
        audit.await(id, "deferred", 3, WAIT);
        assertEquals(START.plus(Duration.ofMinutes(10)), queue.find(id).orElseThrow().nextAttemptAt());
        clock.advance(Duration.ofMinutes(4));
        service.wakeUp();

        AuditEvent bounced = audit.await(id, "bounced", WAIT);
        assertTrue(bounced.detail().contains("4.4.7 delivery time expired after 10m; last reply: 451 4.3.0 "
                + "mailbox temporarily unavailable"), bounced.detail());
        assertTrue(queue.find(id).isEmpty());
        ScriptedRelay.Received dsn = helpdesk.next(WAIT);
        assertEquals(List.of("alice@example.org"), dsn.recipients());
        MimeMessage report = parse(dsn.content());
        String status = deliveryStatus(report);
        assertTrue(status.contains("Action: failed\r\nStatus: 4.4.7\r\n"), status);
        assertTrue(status.contains("Diagnostic-Code: smtp; 451 4.3.0 mailbox temporarily unavailable\r\n"), status);
        String human = (String) ((MimeMultipart) report.getContent()).getBodyPart(0).getContent();
        assertTrue(human.contains("<bob@example.net>: 4.4.7 delivery time expired after 10m"), human);
    }

    @Test
    void aMessageFromTheNullSenderIsNeverBounced() throws Exception {
        ScriptedRelay helpdesk = relay(new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                throw new RejectException(550, "5.1.1 no such mailbox");
            }
        });
        ScriptedRelay mta = relay(ScriptedRelay.ACCEPT_ALL);
        start(config(mta.port(), helpdesk.port()));

        String id = enqueue(Direction.INBOUND, "", List.of("support@example.org"));

        AuditEvent bounced = audit.await(id, "bounced", WAIT);
        assertTrue(bounced.detail().endsWith("bounced, no DSN to the null sender"), bounced.detail());
        assertEquals(List.of(""), helpdesk.senders());
        assertTrue(queue.list().isEmpty(), "no DSN queued: " + queue.list());
        assertTrue(mta.senders().isEmpty());
    }

    @Test
    void closedPortDefersWithTheReason() throws Exception {
        int port = closedPort();
        start(config(port, closedPort()));

        String id = enqueue(Direction.OUTBOUND, "alice@example.org", List.of("bob@example.net"));

        AuditEvent deferred = audit.await(id, "deferred", WAIT);
        assertTrue(deferred.detail().contains("reply=cannot connect to 127.0.0.1:" + port), deferred.detail());
        RecipientStatus bob = queue.find(id).orElseThrow().recipients().get(0);
        assertEquals(RecipientStatus.State.PENDING, bob.state());
        assertTrue(bob.lastReply().startsWith("cannot connect to 127.0.0.1:" + port), bob.lastReply());
    }

    @Test
    void requiredTlsAgainstARelayWithoutStartTlsDefersAndSaysWhy() throws Exception {
        ScriptedRelay mta = relay(ScriptedRelay.ACCEPT_ALL);
        start(config(mta.port(), closedPort(), "outbound.relay.tls=required"));

        String id = enqueue(Direction.OUTBOUND, "alice@example.org", List.of("bob@example.net"));

        AuditEvent deferred = audit.await(id, "deferred", WAIT);
        assertTrue(deferred.detail().contains("does not offer STARTTLS, and TLS is required"), deferred.detail());
        assertTrue(mta.senders().isEmpty(), "nothing sent in plain");
        assertEquals(RecipientStatus.State.PENDING, queue.find(id).orElseThrow().recipients().get(0).state());
    }

    @Test
    void opportunisticTlsDeliversToASelfSignedRelayOverTls() throws Exception {
        ScriptedRelay mta = ScriptedRelay.startWithStartTls(ScriptedRelay.ACCEPT_ALL, TestTls.selfSigned().server);
        relays.add(mta);
        start(config(mta.port(), closedPort(), "outbound.relay.tls=starttls"));

        String id = enqueue(Direction.OUTBOUND, "alice@example.org", List.of("bob@example.net"));

        AuditEvent delivered = audit.await(id, "delivered", WAIT);
        assertTrue(delivered.detail().endsWith(" tls=yes"), delivered.detail());
        ScriptedRelay.Received received = mta.next(WAIT);
        assertTrue(received.tls());
        assertArrayEquals(SmtpUpstreamFixture.MESSAGE, received.content());
    }
}
