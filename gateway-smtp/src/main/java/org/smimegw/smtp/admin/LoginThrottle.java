package org.smimegw.smtp.admin;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@value #MAX_FAILURES} failed logins from one client address, further tries
 * from it are refused without checking for {@link #LOCKOUT}. Time comes from the injected clock; nothing sleeps.
 * Thread-safe.
 */
final class LoginThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration LOCKOUT = Duration.ofMinutes(1);
    /** Bounds the map against a flood of addresses (an attacker spread over IPv6 addresses, say). */
    private static final int MAX_ADDRESSES = 10_000;

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Map<InetAddress, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** True while the address is locked out. */
    boolean locked(InetAddress client) {
        Failures f = failures.get(client);
        return f != null && f.lockedUntil() != null && clock.instant().isBefore(f.lockedUntil());
    }

    /** Counts a failed login; the fifth in a row locks the address out. */
    void failed(InetAddress client) {
        if (failures.size() >= MAX_ADDRESSES) {
            Instant now = clock.instant();
            failures.values().removeIf(f -> f.lockedUntil() == null || !now.isBefore(f.lockedUntil()));
        }
        failures.compute(client, (address, f) -> {
            int count = f == null || f.lockedUntil() != null ? 1 : f.count() + 1;
            return new Failures(count, count >= MAX_FAILURES ? clock.instant().plus(LOCKOUT) : null);
        });
    }

    /** A successful login forgets the address's failures. */
    void succeeded(InetAddress client) {
        failures.remove(client);
    }
}
