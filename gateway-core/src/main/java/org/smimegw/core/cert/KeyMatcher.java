package org.smimegw.core.cert;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/** Decides whether a private key belongs to a certificate's public key. */
final class KeyMatcher {
    private KeyMatcher() {
    }

    static boolean matches(PrivateKey key, X509Certificate certificate) {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return certificate.getPublicKey() instanceof RSAPublicKey pub && pub.getModulus().equals(rsa.getModulus());
        }
        // no public part in the private key object: prove the pair with a signature over a random challenge
        String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
