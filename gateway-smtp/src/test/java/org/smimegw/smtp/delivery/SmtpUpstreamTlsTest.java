package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.smtp.config.RelayTls;
import org.smimegw.smtp.delivery.RecipientOutcome.Delivered;
import org.smimegw.smtp.delivery.RecipientOutcome.Temporary;

/**
 * The relay TLS modes: {@code required} delivers only over STARTTLS to a trusted certificate that names the
 * relay, {@code starttls} uses STARTTLS when offered and accepts any certificate, {@code none} never starts it.
 */
class SmtpUpstreamTlsTest extends SmtpUpstreamFixture {
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
