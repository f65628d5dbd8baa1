package org.smimegw.core.testing;

import java.nio.charset.StandardCharsets;

/** Generated messages at and beyond the input limits (MessageLimits), for the inbound and outbound tests. */
public final class HostileMessages {
    public static final String HEADERS = "From: Alice <alice@example.com>\r\nTo: bob@example.com\r\n"
            + "Subject: limits\r\nMIME-Version: 1.0\r\n";

    private HostileMessages() {
    }

    /** {@code depth} multiparts, each inside the previous one, with one text part at the bottom. */
    public static byte[] nested(String headers, int depth) {
        String inner = "Content-Type: text/plain\r\n\r\nbottom\r\n";
        for (int level = depth; level >= 1; level--) {
            String boundary = "b" + level;
            inner = "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n"
                    + inner + "\r\n--" + boundary + "--\r\n";
        }
        return ascii(headers + inner);
    }

    /** {@code depth} message/rfc822 entities, each inside the previous one. */
    public static byte[] nestedMessages(String headers, int depth) {
        String inner = "Subject: bottom\r\n\r\nbottom\r\n";
        for (int level = 0; level < depth; level++) {
            inner = "Content-Type: message/rfc822\r\n\r\n" + inner;
        }
        return ascii(headers + inner);
    }

    /** One multipart/mixed with {@code parts} small text parts. */
    public static byte[] manyParts(String headers, int parts) {
        StringBuilder body = new StringBuilder(headers).append("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (int i = 0; i < parts; i++) {
            body.append("--b\r\n\r\nx\r\n");
        }
        return ascii(body.append("--b--\r\n").toString());
    }

    /** {@code count} header fields {@code X-Filler-n: n} before the usual headers. */
    public static byte[] manyHeaderFields(String headers, int count) {
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < count; i++) {
            message.append("X-Filler-").append(i).append(": ").append(i).append("\r\n");
        }
        return ascii(message.append(headers).append("\r\nbody\r\n").toString());
    }

    /** A header field {@code X-Long: xxx...} of exactly {@code octets} octets, on one line or folded. */
    public static String longField(int octets, boolean folded) {
        StringBuilder field = new StringBuilder("X-Long:");
        int lineLength = field.length();
        while (field.length() < octets) {
            if (folded && lineLength >= 76) {
                field.append("\r\n");
                lineLength = 0;
            }
            field.append(lineLength == 0 ? ' ' : 'x');
            lineLength++;
        }
        return field.toString();
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
