package org.smimegw.smtp.config;

import java.util.Locale;

/**
 * {@code crypto.provider}: {@code auto} puts the Amazon Corretto Crypto Provider first where it loads and falls back
 * to the JDK providers where it does not; {@code jdk} never tries it.
 */
public enum CryptoProvider {
    AUTO, JDK;

    static CryptoProvider parse(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "jdk" -> JDK;
            default -> throw new ConfigException(key + ": '" + value + "' is not auto or jdk");
        };
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
