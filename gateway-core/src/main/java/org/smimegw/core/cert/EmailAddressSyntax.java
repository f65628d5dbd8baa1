package org.smimegw.core.cert;

import java.util.regex.Pattern;

/**
 * The mailbox syntax a certificate's e-mail addresses must have (RFC 5321 §4.1.2, §4.5.3.1): a dot-atom local part
 * of at most 64 characters, {@code @}, and a domain of letter-digit-hyphen labels. Quoted local parts and address
 * literals are refused: no gateway recipient has one, and their quotes, spaces and brackets would leak into
 * listings and audit lines. Stateless and thread-safe.
 */
final class EmailAddressSyntax {
    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final Pattern LOCAL_PART = Pattern.compile(ATOM + "(\\." + ATOM + ")*");
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern DOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;

    private EmailAddressSyntax() {
    }

    static boolean isMailbox(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String localPart = address.substring(0, at);
        String domain = address.substring(at + 1);
        return localPart.length() <= MAX_LOCAL_PART && domain.length() <= MAX_DOMAIN
                && LOCAL_PART.matcher(localPart).matches() && DOMAIN.matcher(domain).matches();
    }
}
