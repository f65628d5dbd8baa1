package org.smimegw.core.revocation;

import java.security.cert.X509CRL;
import java.time.Instant;

/**
 * A CRL whose signature was verified against the stored CA certificate that issued it, as kept in the store: the
 * newest one per issuer. Immutable (the parsed CRL is never changed).
 *
 * @param issuerFingerprint SHA-256 fingerprint of the issuing CA certificate, lower-case hex
 * @param issuer the issuer's distinguished name, RFC 2253
 * @param thisUpdate when it was issued
 * @param nextUpdate when the next one is due, or {@code null} when the CRL does not say
 * @param entries how many certificates it lists as revoked
 * @param origin {@code imported}, or the URL it was fetched from
 * @param crl the parsed CRL
 */
public record StoredCrl(String issuerFingerprint, String issuer, Instant thisUpdate, Instant nextUpdate, int entries,
        String origin, X509CRL crl) {

    /**
     * Whether the CRL is current at the instant: issued by then (allowing five minutes of clock skew between the CA
     * and the gateway), and its {@code nextUpdate} not passed.
     */
    public boolean currentAt(Instant at) {
        return Freshness.current(thisUpdate, nextUpdate, at);
    }
}
