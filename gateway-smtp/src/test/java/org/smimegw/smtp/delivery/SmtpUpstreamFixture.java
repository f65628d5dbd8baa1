package org.smimegw.smtp.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.config.RelayTls;

/**
 * What the {@link SmtpUpstream} tests share: one upstream, whose kept connections are closed after each test, the
 * message they deliver, and the relay address on loopback.
 */
abstract class SmtpUpstreamFixture {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String HELO = "gw.example.test";

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

    final SmtpUpstream upstream = new SmtpUpstream(HELO, Duration.ofSeconds(5), Duration.ofSeconds(10));

    static RelayTarget relay(int port, RelayTls tls) {
        return new RelayTarget(new HostPort("127.0.0.1", port), tls);
    }

    @AfterEach
    void closeConnections() {
        upstream.close();
    }
}
