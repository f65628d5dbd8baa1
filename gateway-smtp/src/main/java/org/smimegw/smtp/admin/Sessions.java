package org.smimegw.smtp.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin page's logins: a random 256-bit token per session (the cookie), a second one as its CSRF token, and an
 * idle expiry measured on the injected clock. A session also carries the result of its last change to the page
 * that shows it (post/redirect/get) and the confirmations of deletes it was shown. Sessions live in memory only: a
 * restart logs everybody out. Thread-safe.
 */
final class Sessions {
    private static final int TOKEN_BYTES = 32;
    /** Bounds the map against a flood of logins; the oldest sessions are dropped first. */
    private static final int MAX_SESSIONS = 64;

    /** One login. {@code lastSeen} moves with every request. */
    static final class Session {
        /** Bounds the confirmations of one session: the oldest is forgotten first (its Delete is refused). */
        static final int MAX_CONFIRMATIONS = 32;

        private final String token;
        private final String csrf;
        private volatile Instant lastSeen;
        /** Confirmation token to what it confirms, oldest first; guarded by {@code this}. */
        private final Map<String, Confirmation> confirmations = new LinkedHashMap<>();
        /** The result of the last change, not yet shown; guarded by {@code this}. */
        private Layout.Notice flash;

        private Session(String token, String csrf, Instant now) {
            this.token = token;
            this.csrf = csrf;
            this.lastSeen = now;
        }

        String token() {
            return token;
        }

        String csrf() {
            return csrf;
        }

        /** Compares in constant time, so the token cannot be guessed byte by byte. */
        boolean csrfMatches(String candidate) {
            return equal(csrf, candidate);
        }

        /** Keeps the result of a change for the next page this session is shown. */
        synchronized void flash(Layout.Notice notice) {
            flash = notice;
        }

        /** The result kept by {@link #flash}, once: a reload of the page does not show it again. */
        synchronized Optional<Layout.Notice> takeFlash() {
            Optional<Layout.Notice> notice = Optional.ofNullable(flash);
            flash = null;
            return notice;
        }

        /**
         * A new one-time token that confirms {@code action} on {@code target} (a fingerprint, a queue id) in this
         * session; it ends with the session, when used, or when {@value #MAX_CONFIRMATIONS} newer ones were made.
         */
        synchronized String confirmation(String action, String target) {
            if (confirmations.size() >= MAX_CONFIRMATIONS) {
                confirmations.remove(confirmations.keySet().iterator().next());
            }
            String confirmation = newToken();
            confirmations.put(confirmation, new Confirmation(action, target));
            return confirmation;
        }

        /**
         * Whether {@code candidate} is a token this session made for exactly this action and target. A token is used
         * up by being presented, also when it was presented for another action or target.
         */
        synchronized boolean confirmed(String candidate, String action, String target) {
            for (Iterator<Map.Entry<String, Confirmation>> i = confirmations.entrySet().iterator(); i.hasNext(); ) {
                Map.Entry<String, Confirmation> entry = i.next();
                if (equal(entry.getKey(), candidate)) {
                    i.remove();
                    return entry.getValue().equals(new Confirmation(action, target));
                }
            }
            return false;
        }
    }

    /** What a confirmation token allows: one action on one target. */
    private record Confirmation(String action, String target) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idleTimeout;

    Sessions(Clock clock, Duration idleTimeout) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    /** Starts a session after a successful login. */
    Session create() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(Comparator.comparing(s -> s.lastSeen))
                    .ifPresent(oldest -> sessions.remove(oldest.token));
        }
        Session session = new Session(newToken(), newToken(), now);
        sessions.put(session.token, session);
        return session;
    }

    /** The live session a cookie names, touched; an expired one is removed and not returned. */
    Optional<Session> find(String token) {
        Session session = sessions.get(token);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(token);
            return Optional.empty();
        }
        session.lastSeen = now;
        return Optional.of(session);
    }

    void end(String token) {
        sessions.remove(token);
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.lastSeen.plus(idleTimeout));
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Compares two tokens in constant time, so that neither can be guessed byte by byte. */
    private static boolean equal(String token, String candidate) {
        return candidate != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                candidate.getBytes(StandardCharsets.US_ASCII));
    }
}
