package org.smimegw.smtp.config;

import java.util.Locale;

/**
 * {@code crypto.provider}: {@code auto} puts the Amazon Corretto Crypto Provider first where it loads and falls back
 * to the JDK providers where it does not; {@code jdk} never tries it.
 */
public enum CryptoProvider {
    AUTO, JDK;

    static CryptoProvider parse(String key, String value) {
        return ConfigValues.oneOf(key, value, CryptoProvider.class);
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
