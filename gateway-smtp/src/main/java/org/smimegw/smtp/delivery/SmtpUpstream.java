package org.smimegw.smtp.delivery;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.net.ssl.SSLSocketFactory;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.smimegw.core.mime.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.smtp.config.DeliverySettings;
import org.smimegw.smtp.config.RelayTls;

/**
 * {@link Upstream} over SMTP with Angus Mail: the queued bytes sent unchanged, every
 * recipient's own reply reported ({@code mail.smtp.sendpartial}), explicit time limits, the EHLO name of
 * {@code gateway.hostname}. STARTTLS per {@link RelayTls}: never; when offered without checking the certificate
 * (Postfix's {@code may}: a self-signed relay is common and plain text would be the alternative); or required, with
 * the certificate checked against the JDK trust store and the relay's name.
 *
 * <p>Connections are reused ({@link UpstreamConnections}): after a clean transaction the connection is kept, and the
 * next message to the same relay starts with {@code RSET} on it instead of a new connect, EHLO and STARTTLS. Any
 * failed transaction closes its connection. When a kept connection turns out to be closed, or the relay answers 421
 * on it, the message is sent once more on a new connection, so a relay's idle timeout never defers a message.
 * Idle connections are closed after {@link #IDLE_LIMIT}, and all of them by {@link #close}.
 */
public final class SmtpUpstream implements Upstream, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpUpstream.class);

    /**
     * Angus Mail treats an empty envelope sender as "none given" and falls back to the From header or the local
     * address; {@code "<>"} is passed through as it is and gives {@code MAIL FROM:<>}.
     */
    private static final String NULL_SENDER = "<>";
    /** How long a connection is kept open without a message (Postfix keeps its cached ones for 2 s). */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(5);

    private final String heloName;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final SSLSocketFactory requiredTlsFactory;
    /** One Angus Mail session per TLS mode: building one looks up the mail providers on the class path. */
    private final Map<RelayTls, Session> sessions = new EnumMap<>(RelayTls.class);
    private final UpstreamConnections connections;

    /**
     * @param heloName {@code gateway.hostname}
     * @param connectTimeout {@code delivery.connect.timeout}
     * @param readTimeout {@code delivery.read.timeout}; also the limit for one write, so a relay that stops reading
     *                    cannot hold a worker for ever
     */
    public SmtpUpstream(String heloName, Duration connectTimeout, Duration readTimeout) {
        this(heloName, connectTimeout, readTimeout, null);
    }

    /** From the configuration. */
    public SmtpUpstream(String heloName, DeliverySettings settings) {
        this(heloName, settings.connectTimeout(), settings.readTimeout());
    }

    /** {@code requiredTlsFactory}: what checks the certificate in {@code required} mode; null for the JDK default. */
    SmtpUpstream(String heloName, Duration connectTimeout, Duration readTimeout, SSLSocketFactory requiredTlsFactory) {
        this.heloName = heloName;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.requiredTlsFactory = requiredTlsFactory;
        for (RelayTls tls : RelayTls.values()) {
            sessions.put(tls, Session.getInstance(properties(tls)));
        }
        this.connections = new UpstreamConnections(IDLE_LIMIT);
    }

    @Override
    public RelayResult deliver(RelayTarget relay, String sender, List<String> recipients, Bytes content) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        Session session = sessions.get(relay.tls());
        UpstreamConnections.Connection reused = connections.take(relay);
        if (reused != null) {
            Attempt attempt = send(session, reused, relay, sender, recipients, content);
            if (!attempt.connectionLost()) {
                return finish(relay, reused, attempt);
            }
            // the relay closed the kept connection (or said 421) under us: once more on a new one
            UpstreamConnections.quit(reused);
            LOG.debug("kept connection to {} failed ({}); sending again on a new connection", relay.address(),
                    attempt.result().outcomes().get(0).reply().line());
        }
        UpstreamConnections.Connection fresh;
        try {
            fresh = connect(session, relay);
        } catch (MessagingException | RuntimeException e) {
            return new RelayResult(AngusOutcomes.all(recipients, Reply.local(AngusOutcomes.problem(relay, e))), false);
        }
        return finish(relay, fresh, send(session, fresh, relay, sender, recipients, content));
    }

    /** Closes the connections kept open for further messages (QUIT). Delivery still works afterwards. */
    @Override
    public void close() {
        connections.close();
    }

    /** How many connections are kept open for a next message (for tests). */
    int idleConnections() {
        return connections.idleCount();
    }

    private UpstreamConnections.Connection connect(Session session, RelayTarget relay) throws MessagingException {
        SMTPTransport transport = new SMTPTransport(session, null);
        transport.connect(relay.address().host(), relay.address().port(), null, null);
        return new UpstreamConnections.Connection(transport, transport.isSSL());
    }

    /**
     * One transaction's result, whether the connection may carry another one (only after a clean success), and
     * whether the relay dropped the connection or said 421 (then a kept connection is worth one more try).
     */
    private record Attempt(RelayResult result, boolean clean, boolean connectionLost) {
    }

    private RelayResult finish(RelayTarget relay, UpstreamConnections.Connection connection, Attempt attempt) {
        if (attempt.clean()) {
            connections.giveBack(relay, connection);
        } else {
            UpstreamConnections.quit(connection);
        }
        return attempt.result();
    }

    private static Attempt send(Session session, UpstreamConnections.Connection connection, RelayTarget relay,
            String sender, List<String> recipients, Bytes content) {
        SMTPTransport transport = connection.transport;
        try {
            QueuedMimeMessage message = new QueuedMimeMessage(session, content);
            message.setEnvelopeFrom(sender.isEmpty() ? NULL_SENDER : sender);
            if (content.hasEightBitBytes() && transport.supportsExtension("8BITMIME")) {
                // declared, never converted: the content goes out as queued either way
                message.setMailExtension("BODY=8BITMIME");
            }
            try {
                transport.sendMessage(message, AngusOutcomes.addresses(recipients));
                Reply reply = Reply.fromRelay(transport.getLastReturnCode(), transport.getLastServerResponse());
                return new Attempt(new RelayResult(AngusOutcomes.all(recipients, reply), connection.tls), true,
                        false);
            } catch (MessagingException e) {
                return new Attempt(new RelayResult(AngusOutcomes.afterSend(relay, recipients, e), connection.tls),
                        false, connectionLost(e));
            }
        } catch (RuntimeException e) {
            return new Attempt(new RelayResult(AngusOutcomes.all(recipients,
                    Reply.local(AngusOutcomes.problem(relay, e))), false), false, false);
        }
    }

    /** No reply at all (the connection broke or timed out), or 421 to any command: the relay is closing. */
    private static boolean connectionLost(MessagingException e) {
        if (!(e instanceof SendFailedException)) {
            return true;
        }
        for (Exception next = e; next != null;
                next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPSendFailedException failed && failed.getReturnCode() == 421
                    || next instanceof SMTPAddressFailedException refused && refused.getReturnCode() == 421) {
                return true;
            }
        }
        return false;
    }

    private Properties properties(RelayTls tls) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.localhost", heloName);
        p.setProperty("mail.smtp.connectiontimeout", millis(connectTimeout));
        p.setProperty("mail.smtp.timeout", millis(readTimeout));
        p.setProperty("mail.smtp.writetimeout", millis(readTimeout));
        p.setProperty("mail.smtp.sendpartial", "true");
        p.setProperty("mail.smtp.allow8bitmime", "false");
        // a kept connection is checked with RSET (not NOOP) before its next message: a clean transaction state
        p.setProperty("mail.smtp.userset", "true");
        p.put("mail.smtp.socketFactory", NoDelaySockets.INSTANCE);
        p.setProperty("mail.smtp.socketFactory.fallback", "false");
        switch (tls) {
            case NONE -> p.setProperty("mail.smtp.starttls.enable", "false");
            case STARTTLS -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "false");
                p.setProperty("mail.smtp.ssl.trust", "*");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "false");
            }
            case REQUIRED -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
                if (requiredTlsFactory != null) {
                    p.put("mail.smtp.ssl.socketFactory", requiredTlsFactory);
                }
            }
            default -> throw new IllegalStateException(tls.toString());
        }
        return p;
    }

    private static String millis(Duration d) {
        return Long.toString(Math.min(Math.max(d.toMillis(), 1), Integer.MAX_VALUE));
    }
}
