package org.smimegw.store;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.revocation.StoredCrl;
import org.smimegw.core.testing.TestPki;

/**
 * CRLs signed by {@link TestPki} CAs, and the {@link StoredCrl} a caller that verified one would save. Times must be
 * whole seconds, as a CRL encodes them. Stateless.
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
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(ca.certificate().getSubjectX500Principal(),
                    Date.from(thisUpdate));
            if (nextUpdate != null) {
                builder.setNextUpdate(Date.from(nextUpdate));
            }
            for (long serial : revokedSerials) {
                builder.addCRLEntry(BigInteger.valueOf(serial), Date.from(thisUpdate.minus(Duration.ofDays(1))),
                        CRLReason.keyCompromise);
            }
            String algorithm = "EC".equals(ca.key().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CRLConverter().getCRL(builder.build(new JcaContentSignerBuilder(algorithm)
                    .build(ca.key())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build test CRL: " + e.getMessage(), e);
        }
    }
}
