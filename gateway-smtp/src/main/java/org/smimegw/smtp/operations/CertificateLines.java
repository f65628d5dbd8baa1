package org.smimegw.smtp.operations;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.smimegw.core.cert.CertificateAdmin;
import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.revocation.RevocationStatus;

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
     * or {@code already stored <line>} when it was stored before, with {@code key (completes the request <id> of
     * <date>)} when it completes a pending identity (§14) and {@code (expired <date>)} after an expired one.
     */
    public static String imported(CertificateAdmin.Outcome.Imported imported) {
        CertificateRecord c = imported.certificate();
        return (imported.alreadyStored() ? "already stored " : "imported ") + line(c)
                + imported.completed().map(request -> " key (completes the request " + request.id().substring(0, 16)
                        + " of " + request.requestedAt().atOffset(ZoneOffset.UTC).toLocalDate() + ")").orElse("")
                + (imported.expired() ? " (expired " + c.notAfter().atOffset(ZoneOffset.UTC).toLocalDate() + ")" : "");
    }

    /** {@code <fp> <ca|client> <emails> notAfter=<date>}: the line {@code cert import} prints after "imported". */
    public static String line(CertificateRecord c) {
        return c.fingerprint() + " " + c.kind().word() + " " + emails(c.emails()) + " notAfter=" + date(c.notAfter());
    }

    /**
     * A certificate's fields by name, in the order {@code cert show} prints them and with the names of its JSON
     * (docs/json-formats.md); the admin page's certificate view shows the same.
     */
    public static Map<String, Object> fields(CertificateRecord c, boolean hasKey, RevocationStatus revocation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", c.fingerprint());
        m.put("kind", c.kind().word());
        m.put("emails", List.copyOf(c.emails()));
        m.put("subject", c.subject());
        m.put("issuer", c.issuer());
        m.put("serial", c.serialHex());
        m.put("notBefore", date(c.notBefore()));
        m.put("notAfter", date(c.notAfter()));
        m.put("keyUsage", CertificateFacts.keyUsageNames(c.certificate()));
        m.put("keyAlgorithm", CertificateFacts.keyAlgorithm(c.certificate()));
        m.put("hasPrivateKey", hasKey);
        m.put("source", c.source().word());
        m.put("revocation", revocation.word());
        m.put("revokedAt", revocation instanceof RevocationStatus.Revoked revoked ? date(revoked.revokedAt()) : null);
        return m;
    }

    /** The certificate as PEM, as {@code cert export} prints it. */
    public static String pem(X509Certificate certificate) {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pem.toString();
    }
}
