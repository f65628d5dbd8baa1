package org.smimegw.bench.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * What a mail reader shows of a delivered message, read by an independent MIME parser (jakarta.mail), as one
 * digest: every leaf's Content-Type, Content-Transfer-Encoding and raw body bytes. For a multipart/signed message
 * only the first part counts (the signature part is not shown). Two messages with the same view look the same to
 * the helpdesk; the pass invariant compares views.
 */
final class ReaderView {
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final int MAX_DEPTH = 64;

    private ReaderView() {
    }

    /** The digest of what a reader shows; throws when jakarta.mail cannot read the message. */
    static String of(byte[] message) throws MessagingException, IOException {
        MimeMessage parsed = new MimeMessage(SESSION, new ByteArrayInputStream(message));
        ByteArrayOutputStream view = new ByteArrayOutputStream();
        Part shown = parsed;
        if (parsed.isMimeType("multipart/signed")) {
            shown = new MimeMultipart(parsed.getDataHandler().getDataSource()).getBodyPart(0);
        }
        leaves(shown, view, 0);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(view.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The From addresses a reader shows, all From fields together, as jakarta.mail reads them. */
    static List<String> fromAddresses(byte[] message) throws MessagingException {
        Address[] from = new MimeMessage(SESSION, new ByteArrayInputStream(message)).getFrom();
        List<String> addresses = new ArrayList<>();
        for (Address address : from == null ? new Address[0] : from) {
            addresses.add(address instanceof InternetAddress internet ? internet.getAddress() : address.toString());
        }
        return addresses;
    }

    private static void leaves(Part part, ByteArrayOutputStream view, int depth)
            throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            throw new MessagingException("nested deeper than " + MAX_DEPTH);
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = new MimeMultipart(part.getDataHandler().getDataSource());
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                leaves(child, view, depth + 1);
            }
            return;
        }
        write(view, "type=" + header(part, "Content-Type") + "\ncte=" + header(part, "Content-Transfer-Encoding")
                + "\n");
        try (InputStream raw = raw(part)) {
            raw.transferTo(view);
        }
        write(view, "\n--\n");
    }

    private static String header(Part part, String name) throws MessagingException {
        String[] values = part.getHeader(name);
        return values == null ? "" : values[0].replace("\r", "").replace("\n", "").trim().toLowerCase(Locale.ROOT);
    }

    private static InputStream raw(Part part) throws MessagingException, IOException {
        if (part instanceof MimeBodyPart body) {
            return body.getRawInputStream();
        }
        if (part instanceof MimeMessage message) {
            return message.getRawInputStream();
        }
        return part.getInputStream();
    }

    private static void write(ByteArrayOutputStream view, String text) {
        view.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
