package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.config.RelayTls;
import org.smimegw.smtp.delivery.RecipientOutcome.Delivered;
import org.smimegw.smtp.delivery.RecipientOutcome.Permanent;
import org.smimegw.smtp.delivery.RecipientOutcome.Temporary;
import org.subethamail.smtp.RejectException;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

class SmtpUpstreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String HELO = "gw.example.test";

    /** CRLF throughout; lines that start with a dot, a lone dot, a double dot: the SMTP stuffing must undo itself. */
    static final byte[] MESSAGE = ("From: Alice <alice@example.org>\r\n"
            + "To: bob@example.net\r\n"
            + "Subject: dots\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + ".leading dot\r\n"
            + ".\r\n"
            + "..two dots\r\n"
            + "last line\r\n").getBytes(StandardCharsets.US_ASCII);

    private final SmtpUpstream upstream = new SmtpUpstream(HELO, Duration.ofSeconds(5), Duration.ofSeconds(10));

    private static RelayTarget relay(int port, RelayTls tls) {
        return new RelayTarget(new HostPort("127.0.0.1", port), tls);
    }

    @Test
    void greenMailReceivesTheQueuedBytesUnchanged() throws Exception {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        try {
            RelayResult result = upstream.deliver(relay(greenMail.getSmtp().getPort(), RelayTls.NONE),
                    "alice@example.org", List.of("bob@example.net"), Bytes.of(MESSAGE));
            assertInstanceOf(Delivered.class, result.outcomes().get(0), result.toString());
            assertTrue(result.outcomes().get(0).reply().line().startsWith("250"));
            assertTrue(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1));
            MimeMessage received = greenMail.getReceivedMessages()[0];
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            received.writeTo(bytes);
            // GreenMail stores the data without the CRLF that precedes the final dot (its own quirk; the
            // ScriptedRelay test below compares the bytes on the wire including that CRLF)
            byte[] stored = withoutGreenMailTrace(bytes.toByteArray());
            assertArrayEquals(MESSAGE, concat(stored, "\r\n".getBytes(StandardCharsets.US_ASCII)),
                    new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1));
        } finally {
            greenMail.stop();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** GreenMail puts Return-Path and Received before what it was given. */
    private static byte[] withoutGreenMailTrace(byte[] stored) {
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("Return-Path: "), text);
        int received = text.indexOf("\r\nReceived: ");
        int end = text.indexOf("\r\n", received + 2);
        return text.substring(end + 2).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void bytesDotsEnvelopeAndEhloNameArriveExactly() throws Exception {
        try (ScriptedRelay relay = ScriptedRelay.start(ScriptedRelay.ACCEPT_ALL)) {
            RelayResult result = upstream.deliver(relay(relay.port(), RelayTls.NONE), "alice@example.org",
                    List.of("bob@example.net", "carol@example.net"), Bytes.of(MESSAGE));
            assertEquals(2, result.outcomes().size());
            result.outcomes().forEach(o -> assertInstanceOf(Delivered.class, o));
            ScriptedRelay.Received received = relay.next(WAIT);
            assertArrayEquals(MESSAGE, received.content());
            assertEquals("alice@example.org", received.sender());
            assertEquals(List.of("bob@example.net", "carol@example.net"), received.recipients());
            assertEquals(HELO, received.helo());
            assertFalse(received.tls());
        }
    }

    @Test
    void nullSenderGivesMailFromEmptyPath() throws Exception {
        try (ScriptedRelay relay = ScriptedRelay.start(ScriptedRelay.ACCEPT_ALL)) {
            RelayResult result = upstream.deliver(relay(relay.port(), RelayTls.NONE), "",
                    List.of("alice@example.org"), Bytes.of(MESSAGE));
            assertInstanceOf(Delivered.class, result.outcomes().get(0), result.toString());
            // SubEthaSMTP answers a bare "MAIL FROM:" with 501; "" here means it parsed "MAIL FROM:<>"
            assertEquals("", relay.next(WAIT).sender());
            assertEquals(List.of(""), relay.senders());
        }
    }

    @Test
    void commandsOnTheWireAreTheNullPathAndTheEhloName() throws Exception {
        try (TranscriptRelay relay = new TranscriptRelay()) {
            upstream.deliver(relay(relay.port(), RelayTls.NONE), "", List.of("alice@example.org"), Bytes.of(MESSAGE));
            upstream.close(); // the connection was kept for a next message; QUIT now
            List<String> commands = relay.commands(WAIT);
            assertEquals(List.of("EHLO " + HELO, "MAIL FROM:<>", "RCPT TO:<alice@example.org>", "DATA", "QUIT"),
                    commands);
        }
    }

    @AfterEach
    void closeConnections() {
        upstream.close();
    }

    @Test
    void twoMessagesGoOverOneConnectionWithRsetBetween() throws Exception {
        try (TranscriptRelay relay = new TranscriptRelay()) {
            RelayTarget target = relay(relay.port(), RelayTls.NONE);
            assertInstanceOf(Delivered.class, upstream.deliver(target, "a@example.org", List.of("b@example.net"),
                    Bytes.of(MESSAGE)).outcomes().get(0));
            assertEquals(1, upstream.idleConnections());
            assertInstanceOf(Delivered.class, upstream.deliver(target, "c@example.org", List.of("d@example.net"),
                    Bytes.of(MESSAGE)).outcomes().get(0));
            upstream.close();
            // TranscriptRelay serves one session only: both transactions were in it
            assertEquals(List.of("EHLO " + HELO, "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.net>", "DATA",
                    "RSET", "MAIL FROM:<c@example.org>", "RCPT TO:<d@example.net>", "DATA", "QUIT"),
                    relay.commands(WAIT));
        }
    }

    @Test
    void aConnectionTheRelayClosedIsReplacedWithoutFailingTheMessage() throws Exception {
        try (FlakyRelay relay = new FlakyRelay(FlakyRelay.Mode.CLOSE_AFTER_EACH_MESSAGE)) {
            RelayTarget target = relay(relay.port(), RelayTls.NONE);
            for (int i = 0; i < 3; i++) {
                RelayResult result = upstream.deliver(target, "a@example.org", List.of("b@example.net"), Bytes.of(MESSAGE));
                assertInstanceOf(Delivered.class, result.outcomes().get(0), result.toString());
            }
            assertEquals(3, relay.messages());
            assertEquals(3, relay.sessions());
        }
    }

    @Test
    void a421OnAKeptConnectionIsRetriedOnceOnANewOne() throws Exception {
        try (FlakyRelay relay = new FlakyRelay(FlakyRelay.Mode.SAY_421_TO_THE_SECOND_MAIL)) {
            RelayTarget target = relay(relay.port(), RelayTls.NONE);
            assertInstanceOf(Delivered.class, upstream.deliver(target, "a@example.org", List.of("b@example.net"),
                    Bytes.of(MESSAGE)).outcomes().get(0));
            RelayResult second = upstream.deliver(target, "a@example.org", List.of("b@example.net"), Bytes.of(MESSAGE));
            assertInstanceOf(Delivered.class, second.outcomes().get(0), second.toString());
            assertEquals(2, relay.messages());
            assertEquals(2, relay.sessions());
        }
    }

    @Test
    void aFailedTransactionClosesItsConnection() throws Exception {
        ScriptedRelay.Script script = new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                throw new RejectException(550, "5.1.1 unknown");
            }
        };
        try (ScriptedRelay relay = ScriptedRelay.start(script)) {
            upstream.deliver(relay(relay.port(), RelayTls.NONE), "a@example.org", List.of("b@example.net"), Bytes.of(MESSAGE));
            assertEquals(0, upstream.idleConnections());
        }
    }

    @Test
    void eightBitContentIsDeclaredNotConverted() throws Exception {
        byte[] eightBit = "Subject: Gr\u00fc\u00dfe\r\n\r\nK\u00e4se\r\n".getBytes(StandardCharsets.UTF_8);
        try (TranscriptRelay relay = new TranscriptRelay()) {
            upstream.deliver(relay(relay.port(), RelayTls.NONE), "alice@example.org", List.of("bob@example.net"),
                    Bytes.of(eightBit));
            upstream.close();
            assertTrue(relay.commands(WAIT).contains("MAIL FROM:<alice@example.org> BODY=8BITMIME"));
        }
        try (ScriptedRelay relay = ScriptedRelay.start(ScriptedRelay.ACCEPT_ALL)) {
            upstream.deliver(relay(relay.port(), RelayTls.NONE), "alice@example.org", List.of("bob@example.net"),
                    Bytes.of(eightBit));
            assertArrayEquals(eightBit, relay.next(WAIT).content());
        }
    }

    @Test
    void oneRefusedRecipientDoesNotStopTheOther() throws Exception {
        ScriptedRelay.Script script = new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                if (address.startsWith("nobody")) {
                    throw new RejectException(550, "5.1.1 <" + address + ">: user unknown");
                }
            }
        };
        try (ScriptedRelay relay = ScriptedRelay.start(script)) {
            RelayResult result = upstream.deliver(relay(relay.port(), RelayTls.NONE), "alice@example.org",
                    List.of("nobody@example.net", "bob@example.net"), Bytes.of(MESSAGE));
            Permanent refused = assertInstanceOf(Permanent.class, result.outcomes().get(0));
            assertEquals("550 5.1.1 <nobody@example.net>: user unknown", refused.reply().line());
            assertEquals("5.1.1", refused.reply().enhancedStatus().orElseThrow());
            Delivered delivered = assertInstanceOf(Delivered.class, result.outcomes().get(1));
            assertTrue(delivered.reply().line().startsWith("250"), delivered.toString());
            ScriptedRelay.Received received = relay.next(WAIT);
            assertEquals(List.of("bob@example.net"), received.recipients());
            assertArrayEquals(MESSAGE, received.content());
        }
    }

    @Test
    void eachRecipientKeepsItsOwnReplyCode() throws Exception {
        ScriptedRelay.Script script = new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                switch (address) {
                    case "busy@example.net" -> throw new RejectException(451, "4.3.0 try again later");
                    case "full@example.net" -> throw new RejectException(452, "4.2.2 mailbox full");
                    case "gone@example.net" -> throw new RejectException(550, "5.1.1 gone");
                    case "many@example.net" -> throw new RejectException(552, "5.5.3 too many recipients");
                    default -> {
                    }
                }
            }
        };
        try (ScriptedRelay relay = ScriptedRelay.start(script)) {
            List<RecipientOutcome> outcomes = upstream.deliver(relay(relay.port(), RelayTls.NONE),
                    "alice@example.org", List.of("busy@example.net", "full@example.net", "gone@example.net",
                            "many@example.net", "bob@example.net"), Bytes.of(MESSAGE)).outcomes();
            assertEquals("451 4.3.0 try again later", assertInstanceOf(Temporary.class, outcomes.get(0))
                    .reply().line());
            assertEquals(452, assertInstanceOf(Temporary.class, outcomes.get(1)).reply().code());
            assertEquals(550, assertInstanceOf(Permanent.class, outcomes.get(2)).reply().code());
            // RFC 5321 4.5.3.1.10: 552 to RCPT counts as 452
            assertEquals(452, assertInstanceOf(Temporary.class, outcomes.get(3)).reply().code());
            assertInstanceOf(Delivered.class, outcomes.get(4));
            assertEquals(List.of("bob@example.net"), relay.next(WAIT).recipients());
        }
    }

    @Test
    void refusedSenderAppliesToEveryRecipient() throws Exception {
        ScriptedRelay.Script script = new ScriptedRelay.Script() {
            @Override
            public void sender(String address) throws RejectException {
                throw address.startsWith("spam") ? new RejectException(553, "5.7.1 sender refused")
                        : new RejectException(451, "4.7.1 sender domain not resolvable, try later");
            }
        };
        try (ScriptedRelay relay = ScriptedRelay.start(script)) {
            List<RecipientOutcome> refused = upstream.deliver(relay(relay.port(), RelayTls.NONE),
                    "spam@example.org", List.of("a@example.net", "b@example.net"), Bytes.of(MESSAGE)).outcomes();
            refused.forEach(o -> assertEquals("553 5.7.1 sender refused",
                    assertInstanceOf(Permanent.class, o).reply().line()));
            List<RecipientOutcome> later = upstream.deliver(relay(relay.port(), RelayTls.NONE),
                    "alice@example.org", List.of("a@example.net", "b@example.net"), Bytes.of(MESSAGE)).outcomes();
            later.forEach(o -> assertEquals(451, assertInstanceOf(Temporary.class, o).reply().code()));
            assertNull(relay.poll());
        }
    }

    @Test
    void everyRecipientRefusedSendsNoData() throws Exception {
        ScriptedRelay.Script script = new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                throw new RejectException(address.startsWith("a") ? 550 : 451, "no");
            }
        };
        try (ScriptedRelay relay = ScriptedRelay.start(script)) {
            List<RecipientOutcome> outcomes = upstream.deliver(relay(relay.port(), RelayTls.NONE),
                    "alice@example.org", List.of("a@example.net", "b@example.net"), Bytes.of(MESSAGE)).outcomes();
            assertEquals("550 no", assertInstanceOf(Permanent.class, outcomes.get(0)).reply().line());
            assertEquals("451 no", assertInstanceOf(Temporary.class, outcomes.get(1)).reply().line());
            assertNull(relay.poll());
        }
    }

    @Test
    void refusalAfterDataAppliesToEveryAcceptedRecipient() throws Exception {
        ScriptedRelay.Script script = new ScriptedRelay.Script() {
            @Override
            public void recipient(String address) throws RejectException {
                if (address.startsWith("nobody")) {
                    throw new RejectException(550, "5.1.1 unknown");
                }
            }

            @Override
            public void data(byte[] content) throws RejectException {
                throw new RejectException(554, "5.7.1 content refused");
            }
        };
        try (ScriptedRelay relay = ScriptedRelay.start(script)) {
            List<RecipientOutcome> outcomes = upstream.deliver(relay(relay.port(), RelayTls.NONE),
                    "alice@example.org", List.of("bob@example.net", "nobody@example.net", "carol@example.net"),
                    Bytes.of(MESSAGE)).outcomes();
            assertEquals("554 5.7.1 content refused", assertInstanceOf(Permanent.class, outcomes.get(0))
                    .reply().line());
            assertEquals("550 5.1.1 unknown", assertInstanceOf(Permanent.class, outcomes.get(1)).reply().line());
            assertEquals("554 5.7.1 content refused", assertInstanceOf(Permanent.class, outcomes.get(2))
                    .reply().line());
        }
    }

    @Test
    void temporaryRefusalAfterDataDefersEveryAcceptedRecipient() throws Exception {
        ScriptedRelay.Script script = new ScriptedRelay.Script() {
            @Override
            public void data(byte[] content) throws RejectException {
                throw new RejectException(451, "4.3.0 queue full");
            }
        };
        try (ScriptedRelay relay = ScriptedRelay.start(script)) {
            List<RecipientOutcome> outcomes = upstream.deliver(relay(relay.port(), RelayTls.NONE),
                    "alice@example.org", List.of("bob@example.net", "carol@example.net"), Bytes.of(MESSAGE)).outcomes();
            outcomes.forEach(o -> assertEquals("451 4.3.0 queue full",
                    assertInstanceOf(Temporary.class, o).reply().line()));
        }
    }

    @Test
    void closedPortIsTemporaryForEveryone() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        List<RecipientOutcome> outcomes = upstream.deliver(relay(port, RelayTls.STARTTLS), "alice@example.org",
                List.of("bob@example.net", "carol@example.net"), Bytes.of(MESSAGE)).outcomes();
        for (RecipientOutcome outcome : outcomes) {
            Reply reply = assertInstanceOf(Temporary.class, outcome).reply();
            assertFalse(reply.fromRelay());
            assertTrue(reply.line().startsWith("cannot connect to 127.0.0.1:" + port), reply.line());
        }
    }

    @Test
    void silentRelayTimesOut() throws Exception {
        SmtpUpstream impatient = new SmtpUpstream(HELO, Duration.ofSeconds(5), Duration.ofMillis(300));
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().read(); // says nothing; waits for the client to give up
                } catch (Exception e) {
                    // closed by the test
                }
            });
            acceptor.start();
            Reply reply = impatient.deliver(relay(silent.getLocalPort(), RelayTls.NONE), "alice@example.org",
                    List.of("bob@example.net"), Bytes.of(MESSAGE)).outcomes().get(0).reply();
            assertFalse(reply.fromRelay());
            assertTrue(reply.line().contains("127.0.0.1:" + silent.getLocalPort()), reply.line());
            assertTrue(reply.line().toLowerCase().contains("timed out") || reply.line().contains("timeout"),
                    reply.line());
            acceptor.join(WAIT.toMillis());
        }
    }

    @Test
    void requiredTlsWithoutStartTlsOnOfferIsNotDelivered() throws Exception {
        try (ScriptedRelay relay = ScriptedRelay.start(ScriptedRelay.ACCEPT_ALL)) {
            RelayResult result = upstream.deliver(relay(relay.port(), RelayTls.REQUIRED), "alice@example.org",
                    List.of("bob@example.net"), Bytes.of(MESSAGE));
            Reply reply = assertInstanceOf(Temporary.class, result.outcomes().get(0)).reply();
            assertEquals("127.0.0.1:" + relay.port() + " does not offer STARTTLS, and TLS is required for this "
                    + "relay (required); not delivered", reply.line());
            assertNull(relay.poll());
            assertTrue(relay.senders().isEmpty());
        }
    }

    @Test
    void requiredTlsRefusesACertificateOutsideTheTrustStore() throws Exception {
        TestTls tls = TestTls.selfSigned();
        try (ScriptedRelay relay = ScriptedRelay.startWithStartTls(ScriptedRelay.ACCEPT_ALL, tls.server)) {
            RelayResult result = upstream.deliver(relay(relay.port(), RelayTls.REQUIRED), "alice@example.org",
                    List.of("bob@example.net"), Bytes.of(MESSAGE));
            Reply reply = assertInstanceOf(Temporary.class, result.outcomes().get(0)).reply();
            assertTrue(reply.line().startsWith("TLS with 127.0.0.1:" + relay.port() + " failed"), reply.line());
            assertTrue(relay.senders().isEmpty());
        }
    }

    @Test
    void requiredTlsDeliversWhenTheCertificateIsTrustedAndNamesTheRelay() throws Exception {
        TestTls tls = TestTls.selfSigned();
        SmtpUpstream checking = new SmtpUpstream(HELO, Duration.ofSeconds(5), Duration.ofSeconds(10),
                tls.trustingClient());
        try (ScriptedRelay relay = ScriptedRelay.startWithStartTls(ScriptedRelay.ACCEPT_ALL, tls.server)) {
            RelayResult result = checking.deliver(relay(relay.port(), RelayTls.REQUIRED), "alice@example.org",
                    List.of("bob@example.net"), Bytes.of(MESSAGE));
            assertInstanceOf(Delivered.class, result.outcomes().get(0), result.toString());
            assertTrue(result.tls());
            ScriptedRelay.Received received = relay.next(WAIT);
            assertTrue(received.tls());
            assertArrayEquals(MESSAGE, received.content());
        }
    }

    @Test
    void requiredTlsChecksTheRelaysName() throws Exception {
        TestTls tls = TestTls.selfSigned("127.0.0.2"); // trusted, but for another address
        SmtpUpstream checking = new SmtpUpstream(HELO, Duration.ofSeconds(5), Duration.ofSeconds(10),
                tls.trustingClient());
        try (ScriptedRelay relay = ScriptedRelay.startWithStartTls(ScriptedRelay.ACCEPT_ALL, tls.server)) {
            Reply reply = checking.deliver(relay(relay.port(), RelayTls.REQUIRED), "alice@example.org",
                    List.of("bob@example.net"), Bytes.of(MESSAGE)).outcomes().get(0).reply();
            assertFalse(reply.fromRelay());
            assertTrue(reply.line().startsWith("TLS with 127.0.0.1:" + relay.port() + " failed"), reply.line());
            assertTrue(reply.line().contains("127.0.0.1"), reply.line());
            assertTrue(relay.senders().isEmpty());
        }
    }

    @Test
    void opportunisticTlsAcceptsASelfSignedRelay() throws Exception {
        TestTls tls = TestTls.selfSigned();
        try (ScriptedRelay relay = ScriptedRelay.startWithStartTls(ScriptedRelay.ACCEPT_ALL, tls.server)) {
            RelayResult result = upstream.deliver(relay(relay.port(), RelayTls.STARTTLS), "alice@example.org",
                    List.of("bob@example.net"), Bytes.of(MESSAGE));
            assertInstanceOf(Delivered.class, result.outcomes().get(0), result.toString());
            assertTrue(result.tls());
            ScriptedRelay.Received received = relay.next(WAIT);
            assertTrue(received.tls());
            assertArrayEquals(MESSAGE, received.content());
        }
    }

    @Test
    void opportunisticTlsDeliversInPlainWhenNotOffered() throws Exception {
        try (ScriptedRelay relay = ScriptedRelay.start(ScriptedRelay.ACCEPT_ALL)) {
            RelayResult result = upstream.deliver(relay(relay.port(), RelayTls.STARTTLS), "alice@example.org",
                    List.of("bob@example.net"), Bytes.of(MESSAGE));
            assertInstanceOf(Delivered.class, result.outcomes().get(0), result.toString());
            assertFalse(result.tls());
            assertFalse(relay.next(WAIT).tls());
        }
    }

    @Test
    void noneNeverStartsTlsEvenWhenOffered() throws Exception {
        TestTls tls = TestTls.selfSigned();
        try (ScriptedRelay relay = ScriptedRelay.startWithStartTls(ScriptedRelay.ACCEPT_ALL, tls.server)) {
            RelayResult result = upstream.deliver(relay(relay.port(), RelayTls.NONE), "alice@example.org",
                    List.of("bob@example.net"), Bytes.of(MESSAGE));
            assertInstanceOf(Delivered.class, result.outcomes().get(0), result.toString());
            assertFalse(result.tls());
            assertFalse(relay.next(WAIT).tls());
        }
    }
}
