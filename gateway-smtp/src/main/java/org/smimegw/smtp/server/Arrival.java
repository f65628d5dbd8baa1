package org.smimegw.smtp.server;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;

/**
 * One message received by a listener, after DATA ended.
 *
 * @param id {@code QueueIds.next(receivedAt)}, made by the listener at the end of DATA; also in the
 *           {@code Received} header and in the {@code 250} reply
 * @param direction which listener received it
 * @param sender the reverse path, {@code ""} for the null sender {@code <>}
 * @param recipients the forward paths in RCPT order
 * @param content the DATA bytes, dot-unstuffed, with CRLF line ends, without the {@code Received} header
 * @param receivedHeader the complete {@code Received: ...\r\n} field (folded lines CRLF-terminated, US-ASCII),
 *                       built by the listener; the handler prepends it to whatever it queues
 * @param receivedAt when DATA ended
 */
public record Arrival(String id, Direction direction, String sender, List<String> recipients, Bytes content,
        String receivedHeader, Instant receivedAt) {

    public Arrival {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(receivedHeader, "receivedHeader");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** Never the content: log lines and test failures must not carry message text. */
    @Override
    public String toString() {
        return "Arrival[" + id + " " + direction.word() + " sender=<" + sender + "> recipients=" + recipients.size()
                + " size=" + content.length() + "]";
    }
}
