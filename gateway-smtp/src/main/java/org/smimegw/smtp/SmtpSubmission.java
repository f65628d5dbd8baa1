package org.smimegw.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.eclipse.angus.mail.smtp.SMTPTransport;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;

/**
 * Submits one message to a listener on loopback as the helpdesk or the MTA would, and returns the gateway's reply to
 * DATA (or to the refused command). Used by {@code demo} and by tests; the bytes are sent unchanged.
 */
public final class SmtpSubmission {
    private SmtpSubmission() {
    }

    public static String send(int port, String from, String to, byte[] message) throws MessagingException {
        return send(port, from, List.of(to), new SharedByteArrayInputStream(message));
    }

    /** To several envelope recipients in one transaction. */
    public static String send(int port, String from, List<String> to, byte[] message) throws MessagingException {
        return send(port, from, to, new SharedByteArrayInputStream(message));
    }

    /**
     * The message is read from the file as it is sent, never held in memory whole: for messages larger than the
     * heap. The file must end its lines with CRLF.
     */
    public static String send(int port, String from, String to, Path message) throws MessagingException, IOException {
        try (SharedFileInputStream in = new SharedFileInputStream(message.toFile())) {
            return send(port, from, List.of(to), in);
        }
    }

    /** A shared stream lets the message keep only its headers and read its content from the stream. */
    private static String send(int port, String from, List<String> to, InputStream message)
            throws MessagingException {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(port));
        properties.put("mail.smtp.from", from);
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "60000");
        Session session = Session.getInstance(properties);
        SMTPTransport transport = new SMTPTransport(session, null);
        MessagingException failure = null;
        try {
            transport.connect();
            Address[] recipients = new Address[to.size()];
            for (int i = 0; i < recipients.length; i++) {
                recipients[i] = new InternetAddress(to.get(i));
            }
            transport.sendMessage(new MimeMessage(session, message), recipients);
            return transport.getLastServerResponse().strip();
        } catch (SendFailedException e) {
            return transport.getLastServerResponse().strip();
        } catch (MessagingException e) {
            failure = e;
            throw e;
        } finally {
            closeKeeping(transport, failure);
        }
    }

    /**
     * QUIT. Its failure (a server that closed the connection after its reply, say) changes nothing: the reply is
     * already known, or sending failed already and that failure says why.
     */
    private static void closeKeeping(SMTPTransport transport, MessagingException failure) {
        try {
            transport.close();
        } catch (MessagingException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
