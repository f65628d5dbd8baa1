package org.smimegw.smtp.delivery;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a relay answered to one recipient, or why there was no answer.
 *
 * @param code the SMTP reply code (250, 451, 550, ...), or 0 when no reply came from the relay (no connection, TLS
 *             refused, timeout): then {@code line} is the local reason
 * @param line one line, without CR or LF or other control characters, at most {@link #MAX_LENGTH} characters: the
 *             relay's reply with its code first, or the local reason
 */
public record Reply(int code, String line) {
    /** Replies are kept in the queue and the audit log; a relay's multi-kilobyte reply is clipped. */
    static final int MAX_LENGTH = 500;

    private static final Pattern ENHANCED = Pattern.compile("^\\d{3}[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})(?=\\s|$)");

    public Reply {
        if (code != 0 && (code < 100 || code > 599)) {
            throw new IllegalArgumentException("not an SMTP reply code: " + code);
        }
        line = oneLine(line == null ? "" : line);
        if (code != 0 && !line.startsWith(Integer.toString(code))) {
            line = oneLine(code + (line.isEmpty() ? "" : " " + line));
        }
    }

    /** A reply of the relay; {@code line} is the reply as received, code first (Angus Mail keeps it that way). */
    public static Reply fromRelay(int code, String line) {
        return new Reply(code, line);
    }

    /** A reason found here, without a reply of the relay: always temporary. */
    public static Reply local(String reason) {
        return new Reply(0, reason);
    }

    public boolean fromRelay() {
        return code != 0;
    }

    /** True for 2xx. */
    public boolean positive() {
        return code >= 200 && code < 300;
    }

    /** True for 5xx; a local reason is never permanent. */
    public boolean permanent() {
        return code >= 500;
    }

    /** The RFC 3463 enhanced status code the relay gave after the reply code, e.g. {@code 5.1.1}. */
    public Optional<String> enhancedStatus() {
        Matcher m = ENHANCED.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1) + "." + Integer.parseInt(m.group(2)) + "." + Integer.parseInt(m.group(3)));
    }

    @Override
    public String toString() {
        return line;
    }

    /**
     * Control characters (CR and LF of multi-line replies above all) become single spaces, so that a reply can never
     * start a new line in the queue, the audit log, or a DSN.
     */
    public static String oneLine(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.length() > MAX_LENGTH ? out.substring(0, MAX_LENGTH) : out.toString();
    }
}
