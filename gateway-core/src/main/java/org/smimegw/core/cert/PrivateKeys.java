package org.smimegw.core.cert;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Turns a decoded PKCS#8 structure into a JCA private key. RSA and EC keys are recognised by their algorithm OID
 * (rsaEncryption, id-ecPublicKey) and rebuilt with the default JCA {@code KeyFactory}, so the store, the signer and
 * the key matcher get the standard {@code "RSA"} and {@code "EC"} key objects; Bouncy Castle's converter would name
 * an EC key "ECDSA". Other algorithms keep Bouncy Castle's key object, and the import rules refuse them by name.
 */
final class PrivateKeys {
    private static final JcaPEMKeyConverter CONVERTER = new JcaPEMKeyConverter();

    private PrivateKeys() {
    }

    static PrivateKey of(PrivateKeyInfo info) throws IOException {
        String algorithm = jcaAlgorithm(info.getPrivateKeyAlgorithm().getAlgorithm());
        if (algorithm == null) {
            return CONVERTER.getPrivateKey(info);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            // deliberately without the cause's text: it could quote the key
            throw new CertificateFileException("the " + algorithm + " private key cannot be read: malformed"
                    + ("EC".equals(algorithm) ? ", or on a curve the JDK does not support" : ""));
        }
    }

    private static String jcaAlgorithm(ASN1ObjectIdentifier oid) {
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            return "RSA";
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            return "EC";
        }
        return null;
    }
}
