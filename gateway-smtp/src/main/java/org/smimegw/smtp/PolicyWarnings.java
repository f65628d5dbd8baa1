package org.smimegw.smtp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.outbound.OutboundPolicy;
import org.smimegw.core.outbound.PolicyMode;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.smtp.config.GatewayConfig;

/**
 * What {@code run} warns about at start-up (docs/design.md §13): a {@code required} policy that nothing stored can
 * meet, so every message it applies to would be refused. Each warning names the key. Stateless.
 */
final class PolicyWarnings {
    private PolicyWarnings() {
    }

    static List<String> of(GatewayConfig config, CertificateDirectory certificates, PrivateKeyRepository keys,
            Instant now) {
        OutboundPolicy policy = config.outboundPolicy();
        List<String> warnings = new ArrayList<>();
        boolean anyKey = certificates.all().stream().anyMatch(c -> c.kind() == CertificateKind.CLIENT
                && valid(c, now) && keys.find(c.fingerprint()).isPresent());
        if (policy.signDefault() == PolicyMode.REQUIRED && !anyKey) {
            warnings.add("outbound.sign=required, but no organisation key valid now is stored: every outbound message "
                    + "will be refused until one is (key import FILE)");
        }
        boolean lookups = config.lookup().ldap().isPresent() || config.lookup().daneResolver().isPresent();
        if (lookups) {
            return warnings;
        }
        List<CertificateRecord> recipients = certificates.all().stream().filter(c -> c.kind() == CertificateKind.CLIENT
                && valid(c, now) && keys.find(c.fingerprint()).isEmpty()).toList();
        if (policy.encryptDefault() == PolicyMode.REQUIRED && recipients.isEmpty()) {
            warnings.add("outbound.encrypt=required, but no recipient certificate valid now is stored and no lookup is "
                    + "configured: every outbound message will be refused (cert import FILE, or lookup.ldap.url)");
        }
        for (String entry : policy.encryptRequiredFor().entries()) {
            boolean covered = recipients.stream().anyMatch(c -> c.emails().stream()
                    .anyMatch(address -> policy.encryptRequiredFor().match(address).filter(entry::equals).isPresent()));
            if (!covered) {
                warnings.add("outbound.encrypt.required.for=" + entry + ", but no certificate valid now is stored "
                        + "for it and no lookup is configured: mail to it will be refused");
            }
        }
        return warnings;
    }

    private static boolean valid(CertificateRecord certificate, Instant now) {
        return !now.isBefore(certificate.notBefore()) && !now.isAfter(certificate.notAfter());
    }
}
