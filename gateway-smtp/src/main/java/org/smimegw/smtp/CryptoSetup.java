package org.smimegw.smtp;

import java.security.Provider;
import java.security.Security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the Amazon Corretto Crypto Provider first where its native library loads, for fast RSA, EC, AES and
 * SHA; elsewhere the JDK providers stay in charge. {@link #providerSummary()} names what is in use.
 */
public final class CryptoSetup {
    private static final Logger LOG = LoggerFactory.getLogger(CryptoSetup.class);
    private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    private static String summary;

    private CryptoSetup() {
    }

    public static synchronized void install() {
        if (summary != null) {
            return;
        }
        if (Boolean.getBoolean("smimegw.accp.disable")) {
            summary = "JDK providers (Corretto provider disabled)";
            return;
        }
        try {
            Class<?> type = Class.forName(ACCP_CLASS);
            Provider accp = (Provider) type.getField("INSTANCE").get(null);
            Throwable loadError = (Throwable) type.getMethod("getLoadingError").invoke(accp);
            if (loadError != null) {
                summary = "JDK providers (Corretto provider unavailable: " + loadError.getMessage() + ")";
                return;
            }
            type.getMethod("install").invoke(null);
            summary = "Amazon Corretto Crypto Provider " + accp.getVersionStr() + " first, JDK providers after";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            summary = "JDK providers (Corretto provider not loadable: " + e.getClass().getSimpleName() + ")";
        }
        LOG.debug("crypto: {}", summary);
        if (Security.getProviders().length == 0) {
            throw new IllegalStateException("no JCA provider");
        }
    }

    /** Which providers serve the crypto, for the start-up summary. */
    public static synchronized String providerSummary() {
        return summary == null ? "not installed" : summary;
    }
}
