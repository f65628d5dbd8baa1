package org.smimegw.bench;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;

import org.smimegw.core.smime.SigningIdentity;
import org.smimegw.smtp.cli.DemoCertificates;

/**
 * The benchmark's parties, as in {@code ./smime-gateway demo}: the organisation (certificate and key, under its
 * own CA) and one contact (under a partner CA) whose certificate the gateway stores.
 */
public record BenchIdentities(DemoCertificates.Issued orgCa, DemoCertificates.Issued org,
        DemoCertificates.Issued partnerCa, DemoCertificates.Issued contact) {
    public static final String ORG = "helpdesk@org.example";
    public static final String CONTACT = "alice@partner.example";

    public static BenchIdentities generate(Instant now) throws GeneralSecurityException {
        DemoCertificates pki = new DemoCertificates(now, "S/MIME Gateway bench");
        DemoCertificates.Issued orgCa = pki.ca("Org Bench CA");
        DemoCertificates.Issued partnerCa = pki.ca("Partner Bench CA");
        return new BenchIdentities(orgCa, pki.person("Helpdesk", ORG, orgCa), partnerCa,
                pki.person("Alice", CONTACT, partnerCa));
    }

    /** How the contact signs what she sends to the organisation. */
    public SigningIdentity contactSigning() {
        return new SigningIdentity(contact.certificate(), contact.key(), List.of(partnerCa.certificate()));
    }

    /** How the organisation signs (used by the JMH benchmarks, which bypass the store). */
    public SigningIdentity orgSigning() {
        return new SigningIdentity(org.certificate(), org.key(), List.of(orgCa.certificate()));
    }
}
