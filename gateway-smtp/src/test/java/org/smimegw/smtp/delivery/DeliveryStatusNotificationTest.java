package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.smtp.delivery.DeliveryStatusNotification.Failure;

class DeliveryStatusNotificationTest {
    private static final Instant RECEIVED = Instant.parse("2026-06-01T12:00:00Z");
    private static final Instant NOW = Instant.parse("2026-06-01T12:05:00Z");
    private static final String HEADERS = "From: Alice <alice@example.org>\r\n"
            + "To: bob@example.net, nobody@example.net\r\n"
            + "Subject: quarterly report\r\n"
            + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n";
    private static final String SECRET_BODY = "MIAGCSqGSIb3DQEHA6CAMIACAQAxggEjSECRET\r\n";

    private final DeliveryStatusNotification builder = new DeliveryStatusNotification("gw.example.org");

    private static QueueEntry original(String sender) {
        return new QueueEntry("0123456789abcdef", Direction.OUTBOUND, QueueState.QUEUED, sender,
                List.of(RecipientStatus.pending("nobody@example.net")), RECEIVED, RECEIVED, 1, null, 100, "n-1",
                NOW, 1, null);
    }

    private static Failure refused(String address, Reply reply) {
        return new Failure(address, DeliveryStatusNotification.permanentStatus(reply),
                "host mx.example.net said: " + reply.line(), Optional.of(reply), Optional.of("mx.example.net"));
    }

    private static MimeMessage parse(byte[] dsn) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(dsn));
    }

    /** The per-message block, then one block per recipient, as RFC 3464 lays them out. */
    private static List<InternetHeaders> deliveryStatusBlocks(BodyPart part) throws Exception {
        List<InternetHeaders> blocks = new ArrayList<>();
        try (InputStream in = part.getInputStream()) {
            while (true) {
                InternetHeaders block = new InternetHeaders(in);
                if (!block.getAllHeaderLines().hasMoreElements()) {
                    return blocks;
                }
                blocks.add(block);
            }
        }
    }

    @Test
    void isAMultipartReportWithTheThreePartsAndTheFieldsOfRfc3464() throws Exception {
        byte[] content = (HEADERS + "\r\n" + SECRET_BODY).getBytes(StandardCharsets.US_ASCII);
        byte[] dsn = builder.build("fedcba9876543210", original("alice@example.org"), Bytes.of(content), List.of(
                refused("nobody@example.net", Reply.fromRelay(550, "550 5.1.1 <nobody@example.net>: unknown")),
                new Failure("slow@example.net", "4.4.7",
                        "4.4.7 delivery time expired after 5d; last reply: cannot connect to mx:25",
                        Optional.empty(), Optional.empty())), NOW);

        MimeMessage message = parse(dsn);
        assertEquals("Mail Delivery System", ((InternetAddress) message.getFrom()[0]).getPersonal());
        assertEquals("MAILER-DAEMON@gw.example.org", ((InternetAddress) message.getFrom()[0]).getAddress());
        assertEquals("alice@example.org", ((InternetAddress) message.getAllRecipients()[0]).getAddress());
        assertEquals("Undelivered Mail Returned to Sender", message.getSubject());
        assertEquals("auto-replied", message.getHeader("Auto-Submitted", null));
        assertEquals("<fedcba9876543210@gw.example.org>", message.getMessageID());
        assertEquals(NOW, message.getSentDate().toInstant());
        assertTrue(message.isMimeType("multipart/report"));
        assertTrue(message.getContentType().contains("report-type=delivery-status"), message.getContentType());

        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertEquals(3, parts.getCount());
        BodyPart text = parts.getBodyPart(0);
        assertTrue(text.isMimeType("text/plain"));
        String human = (String) text.getContent();
        assertTrue(human.contains("<nobody@example.net>: host mx.example.net said: 550 5.1.1"), human);
        assertTrue(human.contains("<slow@example.net>: 4.4.7 delivery time expired after 5d"), human);

        BodyPart status = parts.getBodyPart(1);
        assertTrue(status.isMimeType("message/delivery-status"));
        List<InternetHeaders> blocks = deliveryStatusBlocks(status);
        assertEquals(3, blocks.size());
        assertEquals("dns; gw.example.org", blocks.get(0).getHeader("Reporting-MTA", null));
        assertEquals("Mon, 1 Jun 2026 12:00:00 +0000", blocks.get(0).getHeader("Arrival-Date", null));
        InternetHeaders first = blocks.get(1);
        assertEquals("rfc822; nobody@example.net", first.getHeader("Final-Recipient", null));
        assertEquals("failed", first.getHeader("Action", null));
        assertEquals("5.1.1", first.getHeader("Status", null));
        assertEquals("dns; mx.example.net", first.getHeader("Remote-MTA", null));
        assertEquals("smtp; 550 5.1.1 <nobody@example.net>: unknown", first.getHeader("Diagnostic-Code", null));
        assertEquals("Mon, 1 Jun 2026 12:05:00 +0000", first.getHeader("Last-Attempt-Date", null));
        InternetHeaders second = blocks.get(2);
        assertEquals("rfc822; slow@example.net", second.getHeader("Final-Recipient", null));
        assertEquals("4.4.7", second.getHeader("Status", null));
        assertNull(second.getHeader("Remote-MTA"));
        assertNull(second.getHeader("Diagnostic-Code"));

        BodyPart headers = parts.getBodyPart(2);
        assertTrue(headers.isMimeType("text/rfc822-headers"));
        try (InputStream in = headers.getInputStream()) {
            assertEquals(HEADERS, new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        String whole = new String(dsn, StandardCharsets.US_ASCII);
        assertFalse(whole.contains("SECRET"), "the body of the original is never returned");
    }

    @Test
    void isSevenBitWithCrlfLineEnds() {
        byte[] content = (HEADERS + "\r\n" + SECRET_BODY).getBytes(StandardCharsets.US_ASCII);
        byte[] dsn = builder.build("fedcba9876543210", original("alice@example.org"), Bytes.of(content),
                List.of(refused("nobody@example.net", Reply.fromRelay(550, "550 5.1.1 unknown"))), NOW);
        for (int i = 0; i < dsn.length; i++) {
            assertTrue(dsn[i] > 0, "8-bit byte at " + i);
            if (dsn[i] == '\n') {
                assertEquals('\r', dsn[i - 1], "bare LF at " + i);
            }
            if (dsn[i] == '\r') {
                assertEquals('\n', dsn[i + 1], "bare CR at " + i);
            }
        }
    }

    @Test
    void aReplyWithLineBreaksCannotAddHeaderLines() throws Exception {
        // Reply flattens CR/LF already; the builder must hold even for a text that arrives raw
        Reply hostile = Reply.fromRelay(550, "550 5.1.1 no\r\nBcc: victim@example.com\r\n\r\nInjected: yes");
        Failure raw = new Failure("nobody@example.net\r\nX-Evil: 1", "5.1.1",
                "host mx said:\r\nSubject: owned", Optional.of(hostile), Optional.of("mx\r\nX-Evil: 2"));
        byte[] dsn = builder.build("fedcba9876543210", original("alice@example.org\r\nCc: x@example.com"),
                Bytes.of((HEADERS + "\r\n").getBytes(StandardCharsets.US_ASCII)), List.of(raw), NOW);
        MimeMessage message = parse(dsn);
        assertNull(message.getHeader("Bcc"));
        assertNull(message.getHeader("Cc"));
        assertEquals(1, message.getHeader("To").length);
        assertEquals("Undelivered Mail Returned to Sender", message.getSubject());
        List<InternetHeaders> blocks = deliveryStatusBlocks(((MimeMultipart) message.getContent()).getBodyPart(1));
        assertEquals(2, blocks.size());
        InternetHeaders recipient = blocks.get(1);
        assertNull(recipient.getHeader("Injected"));
        assertNull(recipient.getHeader("X-Evil"));
        assertEquals("smtp; 550 5.1.1 no Bcc: victim@example.com Injected: yes",
                recipient.getHeader("Diagnostic-Code", null));
        String whole = new String(dsn, StandardCharsets.US_ASCII);
        assertFalse(whole.contains("\r\nSubject: owned"));
        assertFalse(whole.contains("\r\nX-Evil"));
    }

    @Test
    void eightBitHeadersAreQuotedPrintableAndComeBackByteForByte() throws Exception {
        byte[] headerBlock = ("From: J\u00fcrgen <juergen@example.org>\r\nSubject: Gr\u00fc\u00dfe = "
                + "x".repeat(1200) + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] content = concat(headerBlock, "\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] dsn = builder.build("fedcba9876543210", original("juergen@example.org"), Bytes.of(content),
                List.of(refused("nobody@example.net", Reply.fromRelay(550, "550 unknown"))), NOW);
        for (byte b : dsn) {
            assertTrue(b > 0, "the DSN stays 7-bit");
        }
        BodyPart headers = ((MimeMultipart) parse(dsn).getContent()).getBodyPart(2);
        assertEquals("quoted-printable", headers.getHeader("Content-Transfer-Encoding")[0]);
        try (InputStream in = headers.getInputStream()) {
            assertArrayEquals(headerBlock, in.readAllBytes());
        }
    }

    @Test
    void aHeaderLineOf998OctetsStaysSevenBitAndOneOf999IsQuotedPrintable() throws Exception {
        for (int octets : new int[] {998, 999}) {
            String field = "X-Long: " + "x".repeat(octets - 8) + "\r\n";
            byte[] dsn = builder.build("fedcba9876543210", original("alice@example.org"),
                    Bytes.of((field + "\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)),
                    List.of(refused("nobody@example.net", Reply.fromRelay(550, "550 unknown"))), NOW);
            BodyPart headers = ((MimeMultipart) parse(dsn).getContent()).getBodyPart(2);
            assertEquals(octets == 998 ? "7bit" : "quoted-printable",
                    headers.getHeader("Content-Transfer-Encoding")[0]);
            try (InputStream in = headers.getInputStream()) {
                assertEquals(field, new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void headerBlockIsCutAtTheFirstBlankLineWhateverTheLineEnds() {
        byte[] bareLf = "A: 1\nB: 2\n\nbody\n\nmore".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals("A: 1\r\nB: 2\r\n".getBytes(StandardCharsets.US_ASCII),
                DeliveryStatusNotification.headerBlock(Bytes.of(bareLf)));
        assertArrayEquals("A: 1\r\n".getBytes(StandardCharsets.US_ASCII),
                DeliveryStatusNotification.headerBlock(Bytes.of("A: 1".getBytes(StandardCharsets.US_ASCII))));
        assertArrayEquals(new byte[0],
                DeliveryStatusNotification.headerBlock(Bytes.of("\r\nbody".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void headerBlockIsTheHeaderSectionTheGatewayParsesSoABareCrCannotReturnTheBody() throws Exception {
        byte[] content = "A: 1\r\n 2\rB: 3\r\rSECRET body\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream parsed = new ByteArrayOutputStream();
        RawMessage.parse(content).writeHeaders(parsed);
        byte[] withoutEmptyLine = Arrays.copyOf(parsed.toByteArray(), parsed.size() - 2);

        assertArrayEquals("A: 1\r\n 2\r\nB: 3\r\n".getBytes(StandardCharsets.US_ASCII),
                DeliveryStatusNotification.headerBlock(Bytes.of(content)));
        assertArrayEquals(withoutEmptyLine, DeliveryStatusNotification.headerBlock(Bytes.of(content)));
    }

    @Test
    void permanentStatusComesFromTheReplyOrIsGeneric() {
        assertEquals("5.1.1", DeliveryStatusNotification.permanentStatus(Reply.fromRelay(550, "550 5.1.1 x")));
        assertEquals("5.0.0", DeliveryStatusNotification.permanentStatus(Reply.fromRelay(550, "550 x")));
        // a 4.x.x enhanced code on a 5xx reply is contradictory: the report says failed, so 5.0.0
        assertEquals("5.0.0", DeliveryStatusNotification.permanentStatus(Reply.fromRelay(554, "554 4.4.1 x")));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
