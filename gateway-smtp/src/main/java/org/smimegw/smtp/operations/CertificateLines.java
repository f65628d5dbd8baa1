package org.smimegw.smtp.operations;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;

import org.smimegw.core.cert.CertificateAdmin;
import org.smimegw.core.cert.CertificateRecord;

/** How a certificate and an instant are written in command output and on the admin page. */
public final class CertificateLines {
    private CertificateLines() {
    }

    /** An instant to the second, ISO-8601 UTC. */
    public static String date(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The addresses separated by commas, or {@code -} for none. */
    public static String emails(Collection<String> emails) {
        return emails.isEmpty() ? "-" : String.join(",", emails);
    }

    /**
     * What {@code cert import} prints for a certificate it accepted (docs/design.md §5, §13): {@code imported <line>},
     * or {@code already stored <line>} when it was stored before, with {@code (expired <date>)} after an expired one.
     */
    public static String imported(CertificateAdmin.Outcome.Imported imported) {
        CertificateRecord c = imported.certificate();
        return (imported.alreadyStored() ? "already stored " : "imported ") + line(c)
                + (imported.expired() ? " (expired " + c.notAfter().atOffset(ZoneOffset.UTC).toLocalDate() + ")" : "");
    }

    /** {@code <fp> <ca|client> <emails> notAfter=<date>}: the line {@code cert import} prints after "imported". */
    public static String line(CertificateRecord c) {
        return c.fingerprint() + " " + c.kind().word() + " " + emails(c.emails()) + " notAfter=" + date(c.notAfter());
    }
}
