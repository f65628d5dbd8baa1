package org.smimegw.smtp.monitor;

import java.time.Instant;

import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;

/** Organisation certificates with their keys, and contact certificates without, in in-memory stores. */
final class OrgKeys {
    final InMemoryCertificateDirectory certificates = new InMemoryCertificateDirectory();
    final InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();

    /** A certificate for the addresses, valid from {@code from} until {@code until}, with its private key stored. */
    CertificateRecord org(Instant from, Instant until, String... emails) {
        TestPki.Issued issued = TestPki.client(emails).valid(from, until).build();
        CertificateRecord record = certificates.add(issued.certificate(), CertificateKind.CLIENT);
        keys.put(record.fingerprint(), issued.key());
        return record;
    }

    /** A contact's certificate: stored, but without a private key. */
    CertificateRecord contact(Instant from, Instant until, String... emails) {
        return certificates.add(TestPki.client(emails).valid(from, until).build().certificate(),
                CertificateKind.CLIENT);
    }

    OrgCertificates orgCertificates() {
        return new OrgCertificates(certificates, keys);
    }
}
