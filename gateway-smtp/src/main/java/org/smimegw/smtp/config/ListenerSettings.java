package org.smimegw.smtp.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the two SMTP listeners share beyond their addresses.
 *
 * @param tlsRequired {@code smtp.tls.required}: no MAIL before STARTTLS
 * @param authUsersFile {@code smtp.auth.users.file}: user names with bcrypt hashes; AUTH is offered (over TLS only)
 *                      when set
 * @param maxRecipients {@code smtp.max.recipients}: RCPT commands accepted per message
 * @param maxConnections {@code smtp.max.connections}: concurrent sessions per listener
 * @param timeout {@code smtp.timeout}: how long a client may stay silent
 */
public record ListenerSettings(
        boolean tlsRequired,
        Optional<Path> authUsersFile,
        int maxRecipients,
        int maxConnections,
        Duration timeout) {
}
