package org.smimegw.core.revocation;

import java.time.Clock;
import java.time.Instant;

import org.smimegw.core.port.RevocationStore;

/**
 * Judges whether certificates are revoked (docs/design.md §9), from the answers kept in the {@link RevocationStore}
 * and, when {@code revocation.fetch} is on, from the OCSP responders and CRL distribution points the certificates
 * name. Every verified answer fetched is saved in the store for the other messages and nodes.
 *
 * <p>Call order: {@link #begin} once per message, then {@link RevocationCheck#status} for each certificate, then
 * {@link RevocationCheck#notes} for the audit log. All fetches of one message share one deadline,
 * {@code revocation.timeout} from {@link #begin}, so a message is never held longer than that in total. A URL that
 * failed (no answer in time, refused connection, an HTTP error, a garbled or refused answer) is remembered in memory
 * for 60 seconds and not asked again within that time, so a dead responder costs one timeout a minute, not one per
 * message. Only {@code http://} URLs are asked, redirects only to the same host, bodies up to
 * {@code revocation.crl.max.bytes} (CRLs) or 64 KiB (OCSP).
 *
 * <p>Thread-safe: one per gateway, shared by every message.
 */
public final class RevocationChecker {
    private final RevocationStore store;
    private final RevocationSettings settings;
    private final Clock clock;
    /** Null when nothing is ever fetched. */
    private final HttpFetcher fetcher;

    public RevocationChecker(RevocationStore store, RevocationSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.fetcher = settings.fetch() && settings.mode() != RevocationMode.OFF
                ? new HttpFetcher(clock, settings.timeout()) : null;
    }

    /** A checker for {@code revocation.check=off}: every status is {@link RevocationStatus.NotChecked}. */
    public static RevocationChecker off() {
        return new RevocationChecker(null, RevocationSettings.OFF, Clock.systemUTC());
    }

    public RevocationSettings settings() {
        return settings;
    }

    /**
     * The checks of one message, judging revocation at {@code at}; its fetches end by {@code revocation.timeout} from
     * now at the latest.
     */
    public RevocationCheck begin(Instant at) {
        return new RevocationCheck(store, settings, fetcher, at, clock.instant().plus(settings.timeout()),
                "revocation.fetch is off");
    }

    /** Checks that use the stored answers only and never the network, for listings such as {@code cert list}. */
    public RevocationCheck stored(Instant at) {
        return new RevocationCheck(store, settings, null, at, null, "a listing uses stored answers only");
    }
}
