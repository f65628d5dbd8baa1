package org.smimegw.smtp.config;

import java.util.Locale;

/** How delivery to an upstream relay uses STARTTLS ({@code outbound.relay.tls}, {@code inbound.relay.tls}). */
public enum RelayTls {
    /** Never STARTTLS, even when offered. */
    NONE,
    /** STARTTLS when the relay offers it, without checking its certificate (Postfix's {@code may}). */
    STARTTLS,
    /** STARTTLS or no delivery; the relay's certificate must chain to the JDK trust store and match its name. */
    REQUIRED;

    static RelayTls parse(String key, String value) {
        return ConfigValues.oneOf(key, value, RelayTls.class);
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
