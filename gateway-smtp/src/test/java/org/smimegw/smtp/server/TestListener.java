package org.smimegw.smtp.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Assertions;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.queue.Direction;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.config.ListenerSettings;

/** A started listener on 127.0.0.1 and a free port, recording every handler call. */
final class TestListener implements AutoCloseable {
    static final String HOSTNAME = "gw.example.test";
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Every arrival the handler was called with, in order. */
    final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    final SmtpListener listener;

    private TestListener(ListenerConfig config, ArrivalHandler handler) {
        this.listener = new SmtpListener(config, arrival -> {
            arrivals.add(arrival);
            handler.handle(arrival);
        }, CLOCK, SpoolArea.DEFAULT);
        listener.start();
    }

    static Builder builder() {
        return new Builder();
    }

    static TestListener start() {
        return builder().start();
    }

    int port() {
        return listener.port();
    }

    Arrival only() {
        Assertions.assertEquals(1, arrivals.size(), "handler calls: " + arrivals);
        return arrivals.get(0);
    }

    @Override
    public void close() {
        listener.stop(Duration.ofSeconds(5));
    }

    static final class Builder {
        private String host = "127.0.0.1";
        private Direction direction = Direction.OUTBOUND;
        private List<String> allowed = List.of("127.0.0.1/32", "::1/128");
        private long maxBytes = 1_000_000;
        private boolean tlsRequired;
        private Path users;
        private int maxRecipients = 100;
        private int maxConnections = 20;
        private Duration timeout = Duration.ofSeconds(60);
        private Path certificate;
        private Path key;
        private ArrivalHandler handler = arrival -> { };

        Builder host(String value) {
            host = value;
            return this;
        }

        Builder direction(Direction value) {
            direction = value;
            return this;
        }

        Builder allowed(String... cidrs) {
            allowed = List.of(cidrs);
            return this;
        }

        Builder maxBytes(long value) {
            maxBytes = value;
            return this;
        }

        Builder maxRecipients(int value) {
            maxRecipients = value;
            return this;
        }

        Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        Builder tls(TestTls tls) {
            certificate = tls.certificateFile();
            key = tls.keyFile();
            return this;
        }

        Builder tlsRequired() {
            tlsRequired = true;
            return this;
        }

        Builder users(Path file) {
            users = file;
            return this;
        }

        Builder handler(ArrivalHandler value) {
            handler = value;
            return this;
        }

        ListenerConfig config() {
            return new ListenerConfig(direction, new HostPort(host, 0), HOSTNAME, allowed, maxBytes,
                    new ListenerSettings(tlsRequired, Optional.ofNullable(users), maxRecipients, maxConnections,
                            timeout),
                    Optional.ofNullable(certificate), Optional.ofNullable(key));
        }

        TestListener start() {
            return new TestListener(config(), handler);
        }
    }
}
