package org.smimegw.smtp.server;

/** What this gateway remembers about one SMTP session beyond SubEthaSMTP's own state. Used by its thread only. */
final class SessionState {
    /** EHLO (true) or HELO (false) was the last greeting. */
    boolean extended;
    int authFailures;
    /** The AUTH user once authenticated, else null. */
    String user;

    /** After STARTTLS the session starts over (RFC 3207 4.2). */
    void reset() {
        extended = false;
        user = null;
    }
}
