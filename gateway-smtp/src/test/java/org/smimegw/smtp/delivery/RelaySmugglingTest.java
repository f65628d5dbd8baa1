package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.config.RelayTls;
import org.smimegw.smtp.delivery.RecipientOutcome.Delivered;

/**
 * SMTP smuggling (2023) on the way out: whatever the queued bytes hold, the relay sees CRLF line ends, every line
 * that starts with a dot stuffed, and exactly one end of data, so no second transaction can be slipped in.
 */
class RelaySmugglingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SMUGGLED = "MAIL FROM:<mallory@evil.example>\r\nRCPT TO:<victim@example.net>\r\n"
            + "DATA\r\nFrom: ceo@example.org\r\n\r\nwire the money\r\n";
    private static final String HEADERS = "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: dots\r\n\r\n";

    /** Canonical CRLF: lines of dots, a whole end-of-data sequence and a smuggled transaction after it. */
    static final byte[] CANONICAL = ascii(HEADERS + ".\r\n..\r\n. x\r\n.starts with a dot\r\nbefore\r\n.\r\n"
            + SMUGGLED + ".\r\nQUIT\r\nlast line\r\n");

    /** Bare LF and bare CR around dots: what lenient servers took for the end of data. */
    static final byte[] BARE = ascii(HEADERS + "one\n.\n" + SMUGGLED + ".\r\ntwo\r.\r" + SMUGGLED
            + "three\n.\r\n" + SMUGGLED + "four\r\n.\n" + SMUGGLED + "end\r\n");

    private final SmtpUpstream upstream = new SmtpUpstream("gw.example.test", Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    @AfterEach
    void closeConnections() {
        upstream.close();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static RelayTarget relay(int port) {
        return new RelayTarget(new HostPort("127.0.0.1", port), RelayTls.NONE);
    }

    /** RFC 5321 §4.5.2 done by hand: a dot doubled at the start of every line, then the end of data. */
    private static byte[] stuffed(byte[] crlf) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (byte b : crlf) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        out.writeBytes(ascii(".\r\n"));
        return out.toByteArray();
    }

    private byte[] onTheWire(byte[] content) throws Exception {
        try (TranscriptRelay sink = new TranscriptRelay()) {
            RelayResult result = upstream.deliver(relay(sink.port()), "alice@example.org",
                    List.of("bob@example.net"), Bytes.of(content));
            assertInstanceOf(Delivered.class, result.outcomes().get(0), result.toString());
            return sink.data(WAIT);
        }
    }

    private static void assertNoBareLineEnds(byte[] wire) {
        for (int i = 0; i < wire.length; i++) {
            boolean bareCr = wire[i] == '\r' && (i + 1 == wire.length || wire[i + 1] != '\n');
            boolean bareLf = wire[i] == '\n' && (i == 0 || wire[i - 1] != '\r');
            assertTrue(!bareCr && !bareLf, "bare line end at offset " + i);
        }
    }

    @Test
    void dotLinesAndAnEndOfDataLookalikeAreStuffedOnTheWire() throws Exception {
        assertArrayEquals(stuffed(CANONICAL), onTheWire(CANONICAL));
    }

    @Test
    void bareLineEndsLeaveAsCrlfAndTheirDotsAreStuffed() throws Exception {
        byte[] wire = onTheWire(BARE);

        assertNoBareLineEnds(wire);
        byte[] canonical = ascii(new String(BARE, StandardCharsets.US_ASCII).replace("\r\n", "\n")
                .replace("\r", "\n").replace("\n", "\r\n"));
        assertArrayEquals(stuffed(canonical), wire);
    }

    @Test
    void aRealServerReceivesOneMessageByteIdenticalAndNoSmuggledTransaction() throws Exception {
        try (ScriptedRelay relay = ScriptedRelay.start(ScriptedRelay.ACCEPT_ALL)) {
            RelayResult result = upstream.deliver(relay(relay.port()), "alice@example.org",
                    List.of("bob@example.net"), Bytes.of(CANONICAL));
            assertInstanceOf(Delivered.class, result.outcomes().get(0), result.toString());
            upstream.close();

            ScriptedRelay.Received received = relay.next(WAIT);
            assertArrayEquals(CANONICAL, received.content(), new String(received.content(), StandardCharsets.US_ASCII));
            assertEquals(List.of("bob@example.net"), received.recipients());
            // QUIT was answered, so a smuggled second transaction would be queued by now
            assertNull(relay.poll(), "a second message reached the relay");
            assertEquals(List.of("alice@example.org"), relay.senders());
        }
    }
}
