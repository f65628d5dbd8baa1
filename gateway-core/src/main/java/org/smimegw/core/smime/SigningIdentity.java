package org.smimegw.core.smime;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a signature is made with: the organisation certificate, its private key, and the issuing chain (from the
 * stored CA certificates) to include in the signature. The key never leaves the process.
 */
public record SigningIdentity(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {
    public SigningIdentity {
        chain = List.copyOf(chain);
    }

    @Override
    public String toString() {
        return "SigningIdentity[" + certificate.getSubjectX500Principal() + "]";
    }
}
