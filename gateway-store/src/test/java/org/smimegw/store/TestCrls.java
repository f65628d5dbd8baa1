package org.smimegw.store;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;

import javax.security.auth.x500.X500Principal;

import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.revocation.StoredCrl;
import org.smimegw.core.testing.RevocationPki;
import org.smimegw.core.testing.TestPki;

/**
 * CRLs signed by {@link TestPki} CAs (made by {@link RevocationPki}), and the {@link StoredCrl} a caller that verified
 * one would save. Times must be whole seconds, as a CRL encodes them. Stateless.
 */
final class TestCrls {
    private TestCrls() {
    }

    /**
     * @param nextUpdate {@code null} for a CRL that does not say
     * @param revokedSerials serial numbers listed as revoked a day before {@code thisUpdate}
     */
    static StoredCrl stored(TestPki.Issued ca, Instant thisUpdate, Instant nextUpdate, String origin,
            long... revokedSerials) {
        X509CRL crl = crl(ca, thisUpdate, nextUpdate, revokedSerials);
        return new StoredCrl(Fingerprints.sha256(ca.certificate()),
                crl.getIssuerX500Principal().getName(X500Principal.RFC2253), thisUpdate, nextUpdate,
                revokedSerials.length, origin, crl);
    }

    static X509CRL crl(TestPki.Issued ca, Instant thisUpdate, Instant nextUpdate, long... revokedSerials) {
        RevocationPki.Crl crl = RevocationPki.crl(ca).updates(thisUpdate, nextUpdate);
        for (long serial : revokedSerials) {
            crl.revoke(BigInteger.valueOf(serial), thisUpdate.minus(Duration.ofDays(1)));
        }
        return crl.x509();
    }
}
