package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.smtp.config.RelayTls;
import org.smimegw.smtp.delivery.RecipientOutcome.Delivered;
import org.subethamail.smtp.RejectException;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * What goes on the wire: the queued bytes unchanged, dot lines, the envelope and EHLO name, 8BITMIME, and
 * connections kept for the next message, replaced when the relay closed them.
 */
class SmtpUpstreamTest extends SmtpUpstreamFixture {
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
}
