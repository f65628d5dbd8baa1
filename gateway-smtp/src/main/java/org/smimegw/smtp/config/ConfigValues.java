package org.smimegw.smtp.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parsers for the value types of the configuration; each error names the key and the value. */
final class ConfigValues {
    private ConfigValues() {
    }

    static long positiveLong(String key, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + ": '" + value + "' is not a positive whole number");
    }

    static int positiveInt(String key, String value) {
        long n = positiveLong(key, value);
        if (n > Integer.MAX_VALUE) {
            throw new ConfigException(key + ": '" + value + "' is too large");
        }
        return (int) n;
    }

    /** A non-empty path. */
    static java.nio.file.Path path(String key, String value) {
        if (value.isBlank()) {
            throw new ConfigException(key + ": must not be empty");
        }
        try {
            return java.nio.file.Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(key + ": '" + value + "' is not a path: " + e.getReason());
        }
    }

    /**
     * One of an enum's constants, written in lower case with {@code -} for {@code _} (any case, spaces around);
     * otherwise the error lists them: {@code key: 'x' is not a, b or c}.
     */
    static <E extends Enum<E>> E oneOf(String key, String value, Class<E> type) {
        E[] constants = type.getEnumConstants();
        for (E constant : constants) {
            if (word(constant).equals(value.trim().toLowerCase(Locale.ROOT))) {
                return constant;
            }
        }
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < constants.length; i++) {
            words.append(i == 0 ? "" : i == constants.length - 1 ? " or " : ", ").append(word(constants[i]));
        }
        throw new ConfigException(key + ": '" + value + "' is not " + words);
    }

    private static String word(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static boolean bool(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new ConfigException(key + ": '" + value + "' is not true or false");
        };
    }

    static boolean onOff(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new ConfigException(key + ": '" + value + "' is not on or off");
        };
    }

    /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 5d}. */
    static Duration duration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.length() >= 2) {
            try {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                if (n > 0) {
                    switch (v.charAt(v.length() - 1)) {
                        case 's': return Duration.ofSeconds(n);
                        case 'm': return Duration.ofMinutes(n);
                        case 'h': return Duration.ofHours(n);
                        case 'd': return Duration.ofDays(n);
                        default: break;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new ConfigException(key + ": '" + value + "' is not a duration such as 30s, 5m, 1h or 5d");
    }

    static List<Duration> durations(String key, String value) {
        List<Duration> list = new ArrayList<>();
        for (String part : value.split(",")) {
            list.add(duration(key, part));
        }
        return List.copyOf(list);
    }

    /** Comma-separated CIDRs of numeric addresses, e.g. {@code 127.0.0.1/32,::1/128}. */
    static List<String> cidrs(String key, String value) {
        List<String> list = new ArrayList<>();
        for (String raw : value.split(",")) {
            String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            int slash = part.indexOf('/');
            String address = slash < 0 ? part : part.substring(0, slash);
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new ConfigException(key + ": '" + part + "' is not a numeric address/prefix");
            }
            int bits;
            try {
                bits = InetAddress.getByName(address).getAddress().length * 8;
            } catch (UnknownHostException e) {
                throw new ConfigException(key + ": '" + part + "' is not a numeric address/prefix");
            }
            if (slash >= 0) {
                int prefix;
                try {
                    prefix = Integer.parseInt(part.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new ConfigException(key + ": prefix length in '" + part + "' must be 0-" + bits);
                }
            }
            list.add(part);
        }
        return List.copyOf(list);
    }
}
