package org.smimegw.smtp.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.smimegw.core.queue.Direction;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.config.ListenerSettings;

/**
 * What one {@link SmtpListener} needs from the configuration. {@link #of} takes it from the gateway configuration;
 * tests build it directly (port 0 binds a free port).
 *
 * @param direction which pipeline the messages go to; also names the listener in logs
 * @param listen where to listen ({@code outbound.listen} or {@code inbound.listen})
 * @param hostname {@code gateway.hostname}: greeting, EHLO reply and {@code Received} header
 * @param allowedClients {@code smtp.allowed.clients}: CIDRs that may relay without AUTH
 * @param maxMessageBytes {@code smtp.max.message.bytes}: counted over the DATA bytes, not only the declared SIZE
 * @param settings TLS requirement, AUTH users file, recipient and connection limits, idle timeout
 * @param tlsCertificate {@code smtp.tls.certificate}: PEM certificate (chain) for STARTTLS
 * @param tlsKey {@code smtp.tls.key}: its PEM private key (RSA or EC, PKCS#8 or traditional, unencrypted)
 */
public record ListenerConfig(Direction direction, HostPort listen, String hostname, List<String> allowedClients,
        long maxMessageBytes, ListenerSettings settings, Optional<Path> tlsCertificate, Optional<Path> tlsKey) {

    public ListenerConfig {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(listen, "listen");
        if (hostname == null || hostname.isBlank()) {
            throw new IllegalArgumentException("gateway.hostname must not be empty");
        }
        allowedClients = List.copyOf(allowedClients);
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("smtp.max.message.bytes must be positive");
        }
        Objects.requireNonNull(settings, "settings");
        if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("smtp.tls.certificate and smtp.tls.key go together");
        }
        if (settings.tlsRequired() && tlsCertificate.isEmpty()) {
            throw new IllegalArgumentException("smtp.tls.required needs smtp.tls.certificate and smtp.tls.key");
        }
        if (settings.authUsersFile().isPresent() && tlsCertificate.isEmpty()) {
            throw new IllegalArgumentException("smtp.auth.users.file needs smtp.tls.certificate and smtp.tls.key");
        }
        if (settings.maxRecipients() <= 0 || settings.maxConnections() <= 0 || settings.timeout().isNegative()
                || settings.timeout().isZero()) {
            throw new IllegalArgumentException("listener limits must be positive: " + settings);
        }
    }

    /** The listener of one direction as the gateway configuration describes it. */
    public static ListenerConfig of(GatewayConfig config, Direction direction) {
        HostPort listen = direction == Direction.OUTBOUND ? config.outboundListen() : config.inboundListen();
        return new ListenerConfig(direction, listen, config.hostname(), config.allowedClients(),
                config.maxMessageBytes(), config.listeners(), config.tlsCertificate(), config.tlsKey());
    }

    /** The same listener on another address, e.g. port 0 in tests. */
    public ListenerConfig withListen(HostPort address) {
        return new ListenerConfig(direction, address, hostname, allowedClients, maxMessageBytes, settings,
                tlsCertificate, tlsKey);
    }

    boolean tls() {
        return tlsCertificate.isPresent();
    }
}
