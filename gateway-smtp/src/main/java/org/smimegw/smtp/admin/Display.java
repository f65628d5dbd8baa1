package org.smimegw.smtp.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.smimegw.smtp.operations.CertificateLines;

/** How the admin page writes sizes and instants for a reader: {@code 12.3 KB}, {@code 2026-12-06 20:31 UTC}. */
final class Display {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String[] UNITS = {"KB", "MB", "GB", "TB"};

    private Display() {
    }

    /** Bytes below 1024 as they are, more in the largest binary unit that keeps the number at 1 or more. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** The instant to the minute, in UTC. */
    static String minute(Instant at) {
        return MINUTE.format(at);
    }

    /** How far the instant is from now in its largest whole unit: {@code 3 min ago}, {@code in 5 min}, {@code now}. */
    static String relative(Instant at, Instant now) {
        long seconds = Duration.between(now, at).getSeconds();
        long distance = Math.abs(seconds);
        if (distance == 0) {
            return "now";
        }
        String amount = distance < 60 ? distance + " s"
                : distance < 3600 ? distance / 60 + " min"
                : distance < 86_400 ? distance / 3600 + " h"
                : distance / 86_400 + (distance < 2 * 86_400 ? " day" : " days");
        return seconds < 0 ? amount + " ago" : "in " + amount;
    }

    /** An instant for a table cell: to the minute, how far from now below it, to the second in the title. */
    static void instant(Html html, Instant at, Instant now) {
        html.raw("<span title=\"").text(CertificateLines.date(at)).raw("\">").text(minute(at))
                .raw("</span><span class=\"relative\">").text(relative(at, now)).raw("</span>");
    }
}
