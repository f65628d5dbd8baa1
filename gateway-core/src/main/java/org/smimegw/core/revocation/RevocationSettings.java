package org.smimegw.core.revocation;

import java.time.Duration;

/**
 * The revocation keys (docs/design.md §7, §9). Immutable.
 *
 * @param mode {@code revocation.check}
 * @param fetch {@code revocation.fetch}: whether CRL distribution points and OCSP responders are asked over HTTP
 * @param timeout {@code revocation.timeout}: the longest one message waits for revocation answers, all fetches
 *     together
 * @param maxCrlBytes {@code revocation.crl.max.bytes}: the largest CRL imported or fetched
 */
public record RevocationSettings(RevocationMode mode, boolean fetch, Duration timeout, long maxCrlBytes) {
    public static final long DEFAULT_MAX_CRL_BYTES = 10L * 1024 * 1024;
    public static final RevocationSettings DEFAULTS =
            new RevocationSettings(RevocationMode.SOFT, true, Duration.ofSeconds(5), DEFAULT_MAX_CRL_BYTES);
    public static final RevocationSettings OFF =
            new RevocationSettings(RevocationMode.OFF, false, Duration.ofSeconds(5), DEFAULT_MAX_CRL_BYTES);
}
