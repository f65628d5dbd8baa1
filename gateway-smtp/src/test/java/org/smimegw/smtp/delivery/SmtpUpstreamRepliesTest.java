package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.smtp.config.RelayTls;
import org.smimegw.smtp.delivery.RecipientOutcome.Delivered;
import org.smimegw.smtp.delivery.RecipientOutcome.Permanent;
import org.smimegw.smtp.delivery.RecipientOutcome.Temporary;
import org.subethamail.smtp.RejectException;

/**
 * What each recipient's outcome is: the relay's reply to it, to the sender or to the data, or a temporary
 * failure when the relay cannot be reached or stays silent.
 */
class SmtpUpstreamRepliesTest extends SmtpUpstreamFixture {
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
}
