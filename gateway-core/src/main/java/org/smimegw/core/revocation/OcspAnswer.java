package org.smimegw.core.revocation;

import java.time.Instant;

/**
 * A verified OCSP answer about one certificate, as cached in the store until its {@code nextUpdate}. Only answers
 * that were signed by the issuing CA or a responder it delegated to, were about this certificate and were current are
 * ever made. Immutable.
 *
 * @param certificateFingerprint SHA-256 fingerprint of the certificate asked about, lower-case hex
 * @param revoked whether the responder said {@code revoked} (otherwise it said {@code good})
 * @param revokedAt when it was revoked, or {@code null}
 * @param thisUpdate the answer's {@code thisUpdate}
 * @param nextUpdate the answer's {@code nextUpdate}: the end of the cache
 * @param responder the URL asked
 * @param response the DER-encoded OCSP response, kept for evidence
 */
public record OcspAnswer(String certificateFingerprint, boolean revoked, Instant revokedAt, Instant thisUpdate,
        Instant nextUpdate, String responder, byte[] response) {

    /**
     * Whether the answer is current at the instant: issued by then (allowing five minutes of clock skew between the
     * responder and the gateway), and its {@code nextUpdate} not passed.
     */
    public boolean currentAt(Instant at) {
        return Freshness.current(thisUpdate, nextUpdate, at);
    }
}
