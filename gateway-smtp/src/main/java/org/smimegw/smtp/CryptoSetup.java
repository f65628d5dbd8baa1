package org.smimegw.smtp;

import java.security.Provider;
import java.security.Security;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.smtp.config.CryptoProvider;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * Puts the Amazon Corretto Crypto Provider first where its native library loads and passes its self-tests, for fast
 * RSA, EC, AES and SHA-2 (ADR 12); elsewhere (another OS or architecture, a failed self-test, or
 * {@code crypto.provider=jdk}) the JDK providers stay in charge. Bouncy Castle is added last by
 * {@code CryptoProviders}, for CMS structure only. Providers are global to the JVM, so the first {@link #install}
 * decides; {@link #providerSummary()} names what is in use and, after a fallback, why.
 */
public final class CryptoSetup {
    private static final Logger LOG = LoggerFactory.getLogger(CryptoSetup.class);
    private static String summary;

    private CryptoSetup() {
    }

    /** Installs the providers chosen by {@code crypto.provider}; later calls change nothing. */
    public static synchronized void install(CryptoProvider choice) {
        if (summary == null) {
            summary = select(choice, CryptoSetup::loadCorretto);
            LOG.debug("crypto: {}", summary);
        }
    }

    /** Which providers serve the crypto, for the start-up summary. */
    public static synchronized String providerSummary() {
        return summary == null ? "not installed" : summary;
    }

    /**
     * Installs the Corretto provider at position 1 when {@code choice} allows and {@code corretto} yields a healthy
     * provider; otherwise leaves the provider list alone. Returns the summary either way.
     *
     * @param corretto loads and checks the provider; throws (any exception or linkage error) when it cannot be used
     */
    static String select(CryptoProvider choice, Callable<Provider> corretto) {
        if (choice == CryptoProvider.JDK) {
            return "JDK providers (crypto.provider=jdk)";
        }
        Provider provider;
        try {
            provider = corretto.call();
        } catch (Exception | LinkageError e) {
            LOG.warn("Amazon Corretto Crypto Provider not used, falling back to the JDK providers: {}", reason(e));
            LOG.debug("Corretto provider failure", e);
            return "JDK providers (Amazon Corretto Crypto Provider unavailable: " + reason(e) + ")";
        }
        if (Security.getProvider(provider.getName()) == null) {
            Security.insertProviderAt(provider, 1);
        }
        return provider.getName().equals(Security.getProviders()[0].getName())
                ? "Amazon Corretto Crypto Provider " + provider.getVersionStr() + " first, JDK providers after"
                : "JDK providers first (" + provider.getName() + " was already installed behind them)";
    }

    /** The provider when its native library loaded on this platform and its self-tests pass. */
    private static Provider loadCorretto() {
        AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
        Throwable loadingError = provider.getLoadingError();
        if (loadingError != null) {
            throw new IllegalStateException("native library not loaded on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": " + reason(loadingError), loadingError);
        }
        provider.assertHealthy();
        return provider;
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
