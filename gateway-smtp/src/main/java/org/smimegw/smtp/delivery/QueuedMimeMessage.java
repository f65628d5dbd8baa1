package org.smimegw.smtp.delivery;

import java.io.IOException;
import java.io.OutputStream;

import jakarta.mail.Session;
import org.smimegw.core.mime.Bytes;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * A message whose content is the queued bytes, written as they are: no parsing, no re-encoding, no added
 * Message-ID or MIME-Version. {@code saveChanges} is never called on it (the transport only does so when
 * {@code mail.smtp.allow8bitmime} is set, which delivery never sets). The transport's stream adds the SMTP
 * dot-stuffing and turns any bare LF into CRLF.
 */
final class QueuedMimeMessage extends SMTPMessage {
    private final Bytes content;

    QueuedMimeMessage(Session session, Bytes content) {
        super(session);
        this.content = content;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        content.writeTo(out);
    }

    /** The transport asks to leave out Bcc and Content-Length; the queued bytes were final when they were queued. */
    @Override
    public void writeTo(OutputStream out, String[] ignoreHeaders) throws IOException {
        content.writeTo(out);
    }
}
