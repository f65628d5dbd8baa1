package org.smimegw.store;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Locale;

/**
 * Private keys sealed under the {@link MasterKey} for a table row: the PKCS#8 encoding encrypted with the row's name
 * as associated data, so that a sealed key copied to another row (or another table) does not open. Used by the
 * organisation's keys and by the pending ones (docs/design.md §14).
 */
final class SealedKeys {
    private SealedKeys() {
    }

    /** RSA or EC, as {@link KeyFactory} names them; providers differ (Bouncy Castle says ECDSA). */
    static String algorithmOf(PrivateKey key) {
        String algorithm = key.getAlgorithm().toUpperCase(Locale.ROOT);
        return switch (algorithm) {
            case "RSA" -> "RSA";
            case "EC", "ECDSA", "ECDH" -> "EC";
            default -> throw new IllegalArgumentException("only RSA and EC private keys can be stored, not "
                    + key.getAlgorithm());
        };
    }

    /** Seals the key's PKCS#8 encoding; {@code what} names the key in a refusal. */
    static MasterKey.Sealed seal(MasterKey masterKey, PrivateKey key, byte[] associatedData, String what) {
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("the private key for " + what + " cannot be exported as PKCS#8");
        }
        try {
            return masterKey.seal(pkcs8, associatedData);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** Opens a sealed key; {@code what} names it in a failure, which never carries anything of the key. */
    static PrivateKey open(MasterKey masterKey, String algorithm, MasterKey.Sealed sealed, byte[] associatedData,
            String what) {
        byte[] pkcs8;
        try {
            pkcs8 = masterKey.open(sealed, associatedData);
        } catch (GeneralSecurityException e) {
            // deliberately without the cause's text: nothing about the key material goes into the message
            throw new StoreException("cannot decrypt the private key for " + what + ": the master key "
                    + masterKey.file() + " does not match the one it was stored with");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new StoreException("the stored " + algorithm + " private key for " + what + " cannot be rebuilt");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }
}
