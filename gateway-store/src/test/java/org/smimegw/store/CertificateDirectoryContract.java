package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.testing.TestPki;

/** What every {@link CertificateDirectory} promises. */
public interface CertificateDirectoryContract {

    CertificateDirectory certificates();

    /** Rows of the e-mail index that name the fingerprint, read directly from the storage. */
    int emailIndexRows(String fingerprint);

    @Test
    default void storedCertificateIsReadBackWithAllItsFacts() {
        TestPki.Issued alice = TestPki.client("alice@example.com", "a.smith@example.com").build();
        CertificateRecord added = certificates().add(alice.certificate(), CertificateKind.CLIENT);

        CertificateRecord found = certificates().findByFingerprint(added.fingerprint()).orElseThrow();

        assertEquals(CertificateRecord.of(alice.certificate(), CertificateKind.CLIENT), found);
        assertEquals(alice.certificate(), found.certificate());
        assertEquals(Set.of("alice@example.com", "a.smith@example.com"), found.emails());
    }

    @Test
    default void sourceIsStoredAndReadBackByEveryLookup() {
        CertificateRecord harvested = certificates().add(TestPki.client("kim@example.com").build().certificate(),
                CertificateKind.CLIENT, CertificateSource.HARVESTED);
        CertificateRecord path = certificates().add(TestPki.ca("Kim's Issuer").certificate(), CertificateKind.CA,
                CertificateSource.PATH);
        CertificateRecord imported = certificates().add(TestPki.client("lee@example.com").build().certificate(),
                CertificateKind.CLIENT);

        assertEquals(CertificateSource.HARVESTED, harvested.source());
        assertEquals(harvested, certificates().findByFingerprint(harvested.fingerprint()).orElseThrow());
        assertEquals(List.of(harvested), certificates().findByEmail("kim@example.com"));
        assertEquals(List.of(path), certificates().findByKind(CertificateKind.CA));
        assertEquals(CertificateSource.PATH, certificates().findByKind(CertificateKind.CA).get(0).source());
        assertEquals(CertificateSource.IMPORTED, certificates().findByEmail("lee@example.com").get(0).source());
        assertEquals(sorted(harvested.fingerprint(), path.fingerprint(), imported.fingerprint()),
                fingerprints(certificates().all()));
        assertEquals(List.of(CertificateSource.HARVESTED), certificates()
                .findByFingerprintPrefix(harvested.fingerprint()).stream().map(CertificateRecord::source).toList());
    }

    @Test
    default void addingAStoredCertificateAgainKeepsItsStoredSource() {
        TestPki.Issued mia = TestPki.client("mia@example.com").build();
        CertificateRecord pending = certificates().add(mia.certificate(), CertificateKind.CLIENT,
                CertificateSource.PENDING);

        CertificateRecord again = certificates().add(mia.certificate(), CertificateKind.CLIENT);

        assertEquals(pending, again);
        assertEquals(CertificateSource.PENDING, again.source());
        assertEquals(CertificateSource.PENDING, certificates().findByEmail("mia@example.com").get(0).source());
    }

    @Test
    default void changeSourceChangesOnlyTheSource() {
        TestPki.Issued ned = TestPki.client("ned@example.com", "n.x@example.com").build();
        CertificateRecord pending = certificates().add(ned.certificate(), CertificateKind.CLIENT,
                CertificateSource.PENDING);
        assertEquals(CertificateSource.PENDING, certificates().findByEmail("ned@example.com").get(0).source());

        CertificateRecord approved = certificates().changeSource(pending.fingerprint().toUpperCase(Locale.ROOT),
                CertificateSource.APPROVED).orElseThrow();

        assertEquals(pending.withSource(CertificateSource.APPROVED), approved);
        assertEquals(approved, certificates().findByFingerprint(pending.fingerprint()).orElseThrow());
        assertEquals(List.of(approved), certificates().findByEmail("n.x@example.com"));
        assertEquals(List.of(approved), certificates().findByKind(CertificateKind.CLIENT));
        assertEquals(2, emailIndexRows(pending.fingerprint()));
    }

    @Test
    default void changeSourceOfAnUnknownFingerprintChangesNothing() {
        CertificateRecord ola = certificates().add(TestPki.client("ola@example.com").build().certificate(),
                CertificateKind.CLIENT, CertificateSource.HARVESTED);

        assertTrue(certificates().changeSource("00".repeat(32), CertificateSource.APPROVED).isEmpty());

        assertEquals(List.of(ola), certificates().all());
    }

    @Test
    default void findsCertificateByEmailCaseInsensitively() {
        TestPki.Issued alice = TestPki.client("Alice@Example.COM").build();
        TestPki.Issued bob = TestPki.client("bob@example.com").build();
        CertificateRecord stored = certificates().add(alice.certificate(), CertificateKind.CLIENT);
        certificates().add(bob.certificate(), CertificateKind.CLIENT);

        List<CertificateRecord> found = certificates().findByEmail(" aLiCe@example.com ");

        assertEquals(List.of(stored.fingerprint()), fingerprints(found));
    }

    @Test
    default void findsEveryCertificateOfAnAddressWhateverItsValidity() {
        TestPki.Issued expired = TestPki.client("carol@example.com")
                .valid(TestPki.NOW.minus(Duration.ofDays(800)), TestPki.NOW.minus(Duration.ofDays(400))).build();
        TestPki.Issued current = TestPki.client("carol@example.com").build();
        CertificateRecord a = certificates().add(expired.certificate(), CertificateKind.CLIENT);
        CertificateRecord b = certificates().add(current.certificate(), CertificateKind.CLIENT);

        List<String> found = fingerprints(certificates().findByEmail("carol@example.com"));

        assertEquals(sorted(a.fingerprint(), b.fingerprint()), found);
    }

    @Test
    default void addingTheSameCertificateAgainReturnsTheStoredRecord() {
        TestPki.Issued ca = TestPki.ca("Example Root");
        CertificateRecord first = certificates().add(ca.certificate(), CertificateKind.CA);

        CertificateRecord second = certificates().add(ca.certificate(), CertificateKind.CLIENT);

        assertEquals(first, second);
        assertEquals(CertificateKind.CA, second.kind());
        assertEquals(1, certificates().all().size());
    }

    @Test
    default void concurrentAddsOfTheSameCertificateStoreItOnce() throws Exception {
        TestPki.Issued dave = TestPki.client("dave@example.com").build();
        int writers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        try {
            List<Future<CertificateRecord>> results = new ArrayList<>();
            Callable<CertificateRecord> add = () -> {
                start.await();
                return certificates().add(dave.certificate(), CertificateKind.CLIENT);
            };
            for (int i = 0; i < writers; i++) {
                results.add(executor.submit(add));
            }
            start.countDown();
            for (Future<CertificateRecord> result : results) {
                assertEquals(dave.certificate(), result.get().certificate());
            }
        } finally {
            executor.shutdownNow();
        }
        assertEquals(1, certificates().all().size());
        assertEquals(1, emailIndexRows(certificates().all().get(0).fingerprint()));
    }

    @Test
    default void findsByKindAndListsAllOrderedByFingerprint() {
        CertificateRecord ca = certificates().add(TestPki.ca("Root A").certificate(), CertificateKind.CA);
        CertificateRecord erin = certificates().add(TestPki.client("erin@example.com").build().certificate(),
                CertificateKind.CLIENT);
        CertificateRecord frank = certificates().add(TestPki.client("frank@example.com").ec().build().certificate(),
                CertificateKind.CLIENT);

        assertEquals(List.of(ca.fingerprint()), fingerprints(certificates().findByKind(CertificateKind.CA)));
        assertEquals(sorted(erin.fingerprint(), frank.fingerprint()),
                fingerprints(certificates().findByKind(CertificateKind.CLIENT)));
        assertEquals(sorted(ca.fingerprint(), erin.fingerprint(), frank.fingerprint()),
                fingerprints(certificates().all()));
    }

    @Test
    default void findsByFingerprintPrefixAndTakesWildcardsLiterally() {
        CertificateRecord gina = certificates().add(TestPki.client("gina@example.com").build().certificate(),
                CertificateKind.CLIENT);
        certificates().add(TestPki.client("hank@example.com").build().certificate(), CertificateKind.CLIENT);

        String prefix = gina.fingerprint().substring(0, 12);
        assertEquals(List.of(gina.fingerprint()), fingerprints(certificates().findByFingerprintPrefix(prefix)));
        assertEquals(List.of(gina.fingerprint()),
                fingerprints(certificates().findByFingerprintPrefix(prefix.toUpperCase(Locale.ROOT))));
        assertEquals(List.of(), certificates().findByFingerprintPrefix("%"));
        assertEquals(List.of(), certificates().findByFingerprintPrefix("_"));
        assertEquals(2, certificates().findByFingerprintPrefix("").size());
    }

    @Test
    default void deleteRemovesEmailIndexRows() {
        CertificateRecord ivan = certificates().add(
                TestPki.client("ivan@example.com", "ivan.b@example.com").build().certificate(), CertificateKind.CLIENT);
        assertEquals(2, emailIndexRows(ivan.fingerprint()));

        assertTrue(certificates().delete(ivan.fingerprint()));

        assertEquals(0, emailIndexRows(ivan.fingerprint()));
        assertEquals(List.of(), certificates().findByEmail("ivan@example.com"));
        assertTrue(certificates().findByFingerprint(ivan.fingerprint()).isEmpty());
        assertEquals(List.of(), certificates().all());
    }

    @Test
    default void deleteOfAnUnknownFingerprintReturnsFalse() {
        assertFalse(certificates().delete("00".repeat(32)));
    }

    @Test
    default void deletedCertificateCanBeAddedAgain() {
        TestPki.Issued judy = TestPki.client("judy@example.com").build();
        CertificateRecord first = certificates().add(judy.certificate(), CertificateKind.CLIENT);
        certificates().delete(first.fingerprint());

        certificates().add(judy.certificate(), CertificateKind.CLIENT);

        assertEquals(List.of(first.fingerprint()), fingerprints(certificates().findByEmail("judy@example.com")));
    }

    private static List<String> fingerprints(List<CertificateRecord> records) {
        return records.stream().map(CertificateRecord::fingerprint).toList();
    }

    private static List<String> sorted(String... fingerprints) {
        return Arrays.stream(fingerprints).sorted().toList();
    }
}
