package org.smimegw.core.smime;

import java.security.Provider;
import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Registers Bouncy Castle once, at the end of the provider list: the CMS classes need it for structure, while
 * bulk AES and digests stay with the JDK (or a faster provider installed before it). Call at start-up.
 */
public final class CryptoProviders {
    private CryptoProviders() {
    }

    public static synchronized void installBouncyCastle() {
        if (Security.getProvider(SmimeAlgorithms.BC) == null) {
            Provider bc = new BouncyCastleProvider();
            Security.addProvider(bc);
        }
    }
}
