package org.smimegw.smtp.config;

/** A configuration file that cannot be read, an unknown key or a bad value; the message names the key or file. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
