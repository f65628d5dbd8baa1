package org.smimegw.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A message size as written on the command line: {@code 10KB}, {@code 1MB}, {@code 512B} (powers of 1024). */
record MessageSize(String label, int bytes) {
    private static final Pattern SYNTAX = Pattern.compile("([0-9]+)\\s*(B|KB|MB)?");

    static MessageSize parse(String text) {
        Matcher matcher = SYNTAX.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 10KB, 1MB, 512B)");
        }
        long value = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        long bytes = value * switch (unit) {
            case "KB" -> 1024L;
            case "MB" -> 1024L * 1024L;
            default -> 1L;
        };
        if (bytes < 512 || bytes > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("size " + text + " out of range (512B to 64MB)");
        }
        return new MessageSize(value + unit, (int) bytes);
    }

    @Override
    public String toString() {
        return label;
    }
}
