package org.smimegw.smtp.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import javax.net.ssl.SSLSocketFactory;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.smimegw.core.mime.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.smtp.config.DeliverySettings;
import org.smimegw.smtp.config.RelayTls;

/**
 * {@link Upstream} over SMTP with Angus Mail: one connection per message, the queued bytes sent unchanged, every
 * recipient's own reply reported ({@code mail.smtp.sendpartial}), explicit time limits, the EHLO name of
 * {@code gateway.hostname}. STARTTLS per {@link RelayTls}: never; when offered without checking the certificate
 * (Postfix's {@code may}: a self-signed relay is common and plain text would be the alternative); or required, with
 * the certificate checked against the JDK trust store and the relay's name.
 */
public final class SmtpUpstream implements Upstream {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpUpstream.class);

    /**
     * Angus Mail treats an empty envelope sender as "none given" and falls back to the From header or the local
     * address; {@code "<>"} is passed through as it is and gives {@code MAIL FROM:<>}.
     */
    private static final String NULL_SENDER = "<>";

    private final String heloName;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final SSLSocketFactory requiredTlsFactory;

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
    }

    @Override
    public RelayResult deliver(RelayTarget relay, String sender, List<String> recipients, Bytes content) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        Session session = Session.getInstance(properties(relay.tls()));
        SMTPTransport transport = new SMTPTransport(session, null);
        try {
            transport.connect(relay.address().host(), relay.address().port(), null, null);
        } catch (MessagingException | RuntimeException e) {
            return new RelayResult(AngusOutcomes.all(recipients, Reply.local(AngusOutcomes.problem(relay, e))), false);
        }
        try {
            boolean tls = transport.isSSL();
            QueuedMimeMessage message = new QueuedMimeMessage(session, content);
            message.setEnvelopeFrom(sender.isEmpty() ? NULL_SENDER : sender);
            if (!sevenBit(content) && transport.supportsExtension("8BITMIME")) {
                // declared, never converted: the content goes out as queued either way
                message.setMailExtension("BODY=8BITMIME");
            }
            try {
                transport.sendMessage(message, AngusOutcomes.addresses(recipients));
                Reply reply = Reply.fromRelay(transport.getLastReturnCode(), transport.getLastServerResponse());
                return new RelayResult(AngusOutcomes.all(recipients, reply), tls);
            } catch (MessagingException e) {
                return new RelayResult(AngusOutcomes.afterSend(relay, recipients, e), tls);
            }
        } catch (RuntimeException e) {
            return new RelayResult(AngusOutcomes.all(recipients, Reply.local(AngusOutcomes.problem(relay, e))), false);
        } finally {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("closing the connection to {}: {}", relay.address(), e.toString());
            }
        }
    }

    private Properties properties(RelayTls tls) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.localhost", heloName);
        p.setProperty("mail.smtp.connectiontimeout", millis(connectTimeout));
        p.setProperty("mail.smtp.timeout", millis(readTimeout));
        p.setProperty("mail.smtp.writetimeout", millis(readTimeout));
        p.setProperty("mail.smtp.sendpartial", "true");
        p.setProperty("mail.smtp.allow8bitmime", "false");
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

    private static boolean sevenBit(Bytes content) {
        return content.forEachChunk((array, offset, length) -> {
            for (int i = offset, end = offset + length; i < end; i++) {
                if (array[i] < 0) {
                    return false;
                }
            }
            return true;
        });
    }
}
