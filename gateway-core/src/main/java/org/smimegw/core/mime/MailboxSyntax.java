package org.smimegw.core.mime;

import java.util.regex.Pattern;

/**
 * The one mailbox syntax of the gateway, for SMTP envelope addresses and certificate e-mail addresses alike
 * (RFC 5321 §4.1.2, §4.5.3.1): a dot-atom local part of at most 64 characters, {@code @}, and a domain of
 * letter-digit-hyphen labels, 254 characters in all (the longest address an SMTP path can carry). Quoted local
 * parts, address literals, source routes and non-ASCII are refused: no gateway recipient has one, and their
 * quotes, brackets and spaces would otherwise travel into the queue, the relay's MAIL and RCPT commands, listings,
 * audit lines and logs. Stateless and thread-safe.
 */
public final class MailboxSyntax {
    public static final int MAX_LENGTH = 254;
    public static final int MAX_LOCAL_PART = 64;
    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final Pattern LOCAL_PART = Pattern.compile(ATOM + "(?:\\." + ATOM + ")*");
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern DOMAIN = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");

    private MailboxSyntax() {
    }

    public static boolean isMailbox(String address) {
        return problem(address) == null;
    }

    /**
     * Why {@code address} is not a mailbox, worded to follow the address in a reply ({@code "has no domain"}), or
     * null when it is one.
     */
    public static String problem(String address) {
        if (address.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        if (address.startsWith("@")) {
            return "has a source route, which is not supported";
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return "has no domain";
        }
        String localPart = address.substring(0, at);
        if (localPart.length() > MAX_LOCAL_PART) {
            return "has a local part longer than " + MAX_LOCAL_PART + " characters";
        }
        if (!LOCAL_PART.matcher(localPart).matches() || !isDomain(address.substring(at + 1))) {
            return "is not a valid address";
        }
        return null;
    }

    /**
     * Whether {@code name} is dot-separated letter-digit-hyphen labels of at most 63 characters each, with no final
     * dot; its total length is the caller's to limit.
     */
    public static boolean isDomain(String name) {
        return DOMAIN.matcher(name).matches();
    }
}
