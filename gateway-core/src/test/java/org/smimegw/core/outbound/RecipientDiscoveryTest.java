package org.smimegw.core.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.cert.Selection;
import org.smimegw.core.port.RecipientDirectory;
import org.smimegw.core.revocation.RevocationChecker;
import org.smimegw.core.testing.InMemoryAuditLog;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;

/**
 * docs/design.md §10: a recipient without a usable stored certificate is looked up; what is found is checked as an
 * import would be, stored with its source, audited and used; misses and failures are remembered.
 */
class RecipientDiscoveryTest {
    private static final String BOB = "bob@customer.example";
    private static final Instant NOW = TestPki.NOW;

    private final InMemoryCertificateDirectory store = new InMemoryCertificateDirectory();
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final Directory directory = new Directory();
    private final RecipientDiscovery discovery = new RecipientDiscovery(List.of(directory), store, audit,
            Duration.ofHours(1));

    /** A directory that answers what the test gives it and counts the questions. */
    private static final class Directory implements RecipientDirectory {
        List<X509Certificate> answer = List.of();
        LookupFailure failure;
        final List<Duration> asked = new ArrayList<>();

        @Override
        public CertificateSource source() {
            return CertificateSource.LDAP;
        }

        @Override
        public List<X509Certificate> find(String address, Duration timeout) throws LookupFailure {
            asked.add(timeout);
            if (failure != null) {
                throw failure;
            }
            return answer;
        }
    }

    private Selection lookUp(String address) {
        CertificateLookup lookup = new CertificateLookup(store, new InMemoryPrivateKeyRepository(),
                RevocationChecker.off(), discovery, Duration.ofSeconds(5));
        return lookup.forMessage(NOW).encryptionCertificate(address);
    }

    @Test
    void aCertificateFoundIsStoredWithItsSourceAuditedAndUsed() {
        X509Certificate bob = TestPki.client(BOB).build().certificate();
        directory.answer = List.of(bob);

        Selection.Selected selected = assertInstanceOf(Selection.Selected.class, lookUp(BOB));

        assertEquals(Fingerprints.sha256(bob), selected.certificate().fingerprint());
        assertEquals(CertificateSource.LDAP, selected.certificate().source());
        assertTrue(audit.all().stream().anyMatch(e -> e.action().equals("cert.lookup") && e.decision().equals("ldap")
                && e.detail().startsWith("for " + BOB)), audit.all().toString());
        Duration given = directory.asked.get(0);
        assertTrue(given.compareTo(Duration.ofSeconds(5)) <= 0 && given.compareTo(Duration.ofSeconds(4)) > 0,
                "the lookup gets what is left of lookup.timeout: " + given);
        lookUp(BOB);
        assertEquals(1, directory.asked.size(), "a stored certificate needs no second lookup");
    }

    @Test
    void certificatesForOtherAddressesExpiredOnesAndOnesBreakingTheRulesAreNotKept() {
        directory.answer = List.of(
                TestPki.client("carol@customer.example").build().certificate(),
                TestPki.client(BOB).valid(NOW.minusSeconds(86_400 * 30), NOW.minusSeconds(86_400)).build().certificate(),
                TestPki.client(BOB).keyUsage(KeyUsage.cRLSign).build().certificate(),
                TestPki.ca(BOB).certificate());

        Selection.Unavailable unavailable = assertInstanceOf(Selection.Unavailable.class, lookUp(BOB));

        assertEquals("no certificate; no usable certificate found by lookup; ldap: 4 certificates not usable for "
                + BOB, unavailable.reason());
        assertEquals(List.of(), store.all());
    }

    @Test
    void ofDozensOfCertificatesAtMostTenAreKept() {
        List<X509Certificate> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(TestPki.client(BOB).valid(NOW.minusSeconds(60), NOW.plusSeconds(86_400L * (i + 1))).build()
                    .certificate());
        }
        directory.answer = many;

        Selection.Selected selected = assertInstanceOf(Selection.Selected.class, lookUp(BOB));

        assertEquals(RecipientDiscovery.MOST_KEPT, store.all().size());
        assertEquals(NOW.plusSeconds(86_400L * 10), selected.certificate().notAfter(),
                "of those kept, the one valid longest");
    }

    @Test
    void aMissAndADirectoryThatIsDownAreRememberedForTheNegativeTtl() {
        directory.failure = new RecipientDirectory.LookupFailure("ldap 127.0.0.1:1: connect error");

        Selection.Unavailable down = assertInstanceOf(Selection.Unavailable.class, lookUp(BOB));
        Selection.Unavailable again = assertInstanceOf(Selection.Unavailable.class, lookUp(BOB));

        assertEquals("no certificate; no usable certificate found by lookup; ldap: ldap 127.0.0.1:1: connect error",
                down.reason());
        assertTrue(again.reason().startsWith("no certificate; no certificate found by lookup (remembered until "),
                again.reason());
        assertEquals(1, directory.asked.size());
    }

    @Test
    void withoutDirectoriesNothingIsLookedUpAndTheReasonIsUnchanged() {
        CertificateLookup lookup = new CertificateLookup(store, new InMemoryPrivateKeyRepository());

        assertEquals(new Selection.Unavailable("no certificate"), lookup.forMessage(NOW).encryptionCertificate(BOB));
    }
}
