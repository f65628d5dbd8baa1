package org.smimegw.smtp.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin page's logins: a random 256-bit token per session (the cookie), a second one as its CSRF token, and an
 * idle expiry measured on the injected clock. Sessions live in memory only: a restart logs everybody out.
 * Thread-safe.
 */
final class Sessions {
    private static final int TOKEN_BYTES = 32;
    /** Bounds the map against a flood of logins; the oldest sessions are dropped first. */
    private static final int MAX_SESSIONS = 64;

    /** One login. {@code lastSeen} moves with every request. */
    static final class Session {
        private final String token;
        private final String csrf;
        private volatile Instant lastSeen;

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
            return candidate != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.US_ASCII),
                    candidate.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
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
        Session session = new Session(token(), token(), now);
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

    private String token() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
