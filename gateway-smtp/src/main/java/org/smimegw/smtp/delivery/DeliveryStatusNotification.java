package org.smimegw.smtp.delivery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.HeaderSection;
import org.smimegw.core.mime.LineEndings;
import org.smimegw.core.mime.TransferEncodings;
import org.smimegw.core.queue.QueueEntry;

/**
 * Builds the bounce of a queued message: an RFC 3464 {@code multipart/report; report-type=delivery-status} with a
 * text part for people, a {@code message/delivery-status} part for programs, and the original's header block as
 * {@code text/rfc822-headers}. The original's body is never returned: it is signed or encrypted content, and a bounce
 * must not carry it elsewhere. The result is 7-bit ASCII with CRLF line ends; every text that came from outside (a
 * relay's reply, an address) is put on one line of printable ASCII first, so it cannot add header lines.
 * Immutable and thread-safe.
 */
public final class DeliveryStatusNotification {
    private static final String CRLF = "\r\n";
    /** The most of an original's header block a report returns. */
    static final int MAX_HEADER_BLOCK = 256 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /**
     * One recipient that is given up.
     *
     * @param address the envelope recipient
     * @param status the RFC 3463 status for the report: the relay's own 5.x.x, else {@code 5.0.0}; {@code 4.4.7}
     *               for expiry
     * @param explanation one line for the human-readable part
     * @param diagnostic the relay's last reply, when there was one
     * @param remoteMta the relay's host name or address, when it answered
     */
    public record Failure(String address, String status, String explanation, Optional<Reply> diagnostic,
            Optional<String> remoteMta) {
    }

    private final String hostname;

    /** {@code hostname}: {@code gateway.hostname}, the Reporting-MTA and the domain of MAILER-DAEMON. */
    public DeliveryStatusNotification(String hostname) {
        this.hostname = ascii(hostname);
    }

    /** The status for a permanent reply: its enhanced code when that is a 5.x.x, else {@code 5.0.0}. */
    public static String permanentStatus(Reply reply) {
        return reply.enhancedStatus().filter(s -> s.startsWith("5.")).orElse("5.0.0");
    }

    /**
     * @param dsnId the queue id the report is stored under; also its Message-ID's left part
     * @param original the message that failed
     * @param originalContent its content, for the header block
     * @param failures at least one
     * @param now the Date and Last-Attempt-Date
     */
    public byte[] build(String dsnId, QueueEntry original, Bytes originalContent, List<Failure> failures,
            Instant now) {
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("a DSN needs at least one failed recipient");
        }
        String boundary = "=_dsn_" + HexFormat.of().formatHex(randomBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        line(head, "From: Mail Delivery System <MAILER-DAEMON@" + hostname + ">");
        line(head, "To: <" + ascii(original.sender()) + ">");
        line(head, "Subject: Undelivered Mail Returned to Sender");
        line(head, "Date: " + RFC5322.format(now));
        line(head, "Message-ID: <" + ascii(dsnId) + "@" + hostname + ">");
        line(head, "Auto-Submitted: auto-replied");
        line(head, "MIME-Version: 1.0");
        line(head, "Content-Type: multipart/report; report-type=delivery-status;");
        line(head, "\tboundary=\"" + boundary + "\"");
        line(head, "");
        line(head, "This is a MIME-encapsulated delivery status notification.");
        line(head, "");
        line(head, "--" + boundary);
        line(head, "Content-Type: text/plain; charset=us-ascii");
        line(head, "Content-Description: Notification");
        line(head, "Content-Transfer-Encoding: 7bit");
        line(head, "");
        humanReadable(head, original, failures);
        line(head, "");
        line(head, "--" + boundary);
        line(head, "Content-Type: message/delivery-status");
        line(head, "Content-Description: Delivery report");
        line(head, "Content-Transfer-Encoding: 7bit");
        line(head, "");
        deliveryStatus(head, original, failures, now);
        line(head, "");
        line(head, "--" + boundary);
        line(head, "Content-Type: text/rfc822-headers");
        line(head, "Content-Description: Undelivered message headers");
        Bytes headers = Bytes.of(headerBlock(originalContent));
        boolean plain = TransferEncodings.isSevenBitClean(headers);
        // RFC 6522 (text/rfc822-headers): 7bit suffices for normal headers; broken ones (8-bit bytes, over-long
        // lines) "may be encoded in quoted-printable". QP keeps every byte of the original header block
        // recoverable and the report 7-bit, so it needs no 8BITMIME on its way back; stripping or replacing the
        // bytes would lose what the sender may need to see.
        line(head, "Content-Transfer-Encoding: " + (plain ? "7bit" : "quoted-printable"));
        line(head, "");
        write(out, head.toString());
        // the block ends with CRLF, and the encoder keeps CRLF as a hard line break: either ends with CRLF
        out.writeBytes((plain ? headers : TransferEncodings.quotedPrintable(headers)).toByteArray());
        write(out, CRLF + "--" + boundary + "--" + CRLF);
        return out.toByteArray();
    }

    private void humanReadable(StringBuilder b, QueueEntry original, List<Failure> failures) {
        line(b, "This is the mail system at host " + hostname + ".");
        line(b, "");
        line(b, "Your message (queue id " + ascii(original.id()) + ", received "
                + RFC5322.format(original.receivedAt()) + ") could not be delivered");
        line(b, "to the following recipient" + (failures.size() == 1 ? "" : "s") + ":");
        line(b, "");
        for (Failure f : failures) {
            line(b, clip("<" + ascii(f.address()) + ">: " + ascii(f.explanation())));
        }
        line(b, "");
        line(b, "The headers of your message are attached; its content is not returned.");
    }

    private void deliveryStatus(StringBuilder b, QueueEntry original, List<Failure> failures, Instant now) {
        line(b, "Reporting-MTA: dns; " + hostname);
        line(b, "X-Queue-ID: " + ascii(original.id()));
        line(b, "Arrival-Date: " + RFC5322.format(original.receivedAt()));
        for (Failure f : failures) {
            line(b, "");
            line(b, clip("Final-Recipient: rfc822; " + ascii(f.address())));
            line(b, "Action: failed");
            line(b, "Status: " + status(f.status()));
            f.remoteMta().ifPresent(mta -> line(b, clip("Remote-MTA: dns; " + ascii(mta))));
            f.diagnostic().ifPresent(reply -> line(b, clip("Diagnostic-Code: smtp; " + ascii(reply.line()))));
            line(b, "Last-Attempt-Date: " + RFC5322.format(now));
        }
    }

    private static String status(String status) {
        if (!status.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("not an RFC 3463 status: " + status);
        }
        return status;
    }

    /**
     * The original's header fields, CRLF-terminated, up to (not including) the empty line, read as the gateway
     * reads every header section ({@link HeaderSection}); at most {@value #MAX_HEADER_BLOCK} bytes of them, so a
     * message without an empty line is not returned whole.
     */
    static byte[] headerBlock(Bytes content) {
        int end = HeaderSection.scan(content, MAX_HEADER_BLOCK, (start, lineEnd, startsField) -> true).emptyLine();
        byte[] block = LineEndings.toCrlf(content.slice(0, end).toByteArray());
        if (block.length > 0 && block[block.length - 1] != '\n') {
            byte[] terminated = new byte[block.length + 2];
            System.arraycopy(block, 0, terminated, 0, block.length);
            terminated[block.length] = '\r';
            terminated[block.length + 1] = '\n';
            block = terminated;
        }
        return block;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Printable ASCII on one line: anything else becomes {@code ?}, control characters a space. */
    static String ascii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(Character.isISOControl(c) ? ' ' : '?');
            }
        }
        return out.toString();
    }

    private static String clip(String line) {
        return line.length() <= TransferEncodings.MAX_LINE ? line : line.substring(0, TransferEncodings.MAX_LINE);
    }

    private static void line(StringBuilder b, String text) {
        b.append(text).append(CRLF);
    }

    private static void write(ByteArrayOutputStream out, String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
