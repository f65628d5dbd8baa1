package org.smimegw.smtp.server;

import java.util.regex.Pattern;

/**
 * An SMTP answer other than {@code 250} to a received message, e.g. {@code 550 5.7.1 no valid certificate for
 * bob@example.com}. The text is made safe for a reply line: control characters (CR and LF among them) become
 * spaces, other non-ASCII characters {@code ?}, and it is cut to 400 characters, so a reason built from message
 * data cannot inject reply lines.
 */
public final class SmtpRefusal extends Exception {
    private static final long serialVersionUID = 1L;
    private static final Pattern ENHANCED = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");
    private static final int MAX_TEXT = 400;

    private final int code;
    private final String enhancedStatus;
    private final String text;

    /**
     * @param code a 4xx (temporary) or 5xx (permanent) reply code
     * @param enhancedStatus the RFC 3463 status of the same class, e.g. {@code 5.7.1}
     * @param text what went wrong, naming the cause and the address
     * @throws IllegalArgumentException for a code that is not a refusal or a status of another class
     */
    public SmtpRefusal(int code, String enhancedStatus, String text) {
        super(code + " " + enhancedStatus + " " + safeText(text));
        if (code < 400 || code > 599) {
            throw new IllegalArgumentException("SMTP refusal code must be 4xx or 5xx, not " + code);
        }
        if (enhancedStatus == null || !ENHANCED.matcher(enhancedStatus).matches()
                || enhancedStatus.charAt(0) != Integer.toString(code).charAt(0)) {
            throw new IllegalArgumentException("enhanced status '" + enhancedStatus + "' does not fit code " + code);
        }
        this.code = code;
        this.enhancedStatus = enhancedStatus;
        this.text = safeText(text);
    }

    public int code() {
        return code;
    }

    public String enhancedStatus() {
        return enhancedStatus;
    }

    public String text() {
        return text;
    }

    /** The reply line without CRLF: {@code code enhanced text}. */
    public String reply() {
        return code + " " + enhancedStatus + " " + text;
    }

    static String safeText(String text) {
        if (text == null || text.isBlank()) {
            return "refused";
        }
        StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_TEXT));
        for (int i = 0; i < text.length() && safe.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            safe.append(c < 0x20 || c == 0x7f ? ' ' : c > 0x7f ? '?' : c);
        }
        return safe.toString().strip();
    }
}
