package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.revocation.OcspAnswer;
import org.smimegw.core.revocation.StoredCrl;
import org.smimegw.core.testing.TestPki;

/**
 * The caches of certificates, keys and revocation data (ADR 12) never hide a change: not one made through the same
 * store, and not one made by another process on the same database (here a second store, as the command line beside
 * {@code run} is).
 */
class StoreCachesTest {
    private static final String ADDRESS = "alice@example.com";

    @TempDir
    Path dir;

    private Store relay;
    private Store commandLine;

    @BeforeEach
    void open() {
        StoreSettings settings = new StoreSettings("jdbc:h2:file:" + dir.resolve("data").resolve("gateway"), "sa",
                "", dir.resolve("data").resolve("master.key"));
        relay = Store.open(settings);
        commandLine = Store.open(settings);
    }

    @AfterEach
    void close() {
        commandLine.close();
        relay.close();
    }

    @Test
    void aCertificateAddedOrDeletedByAnotherProcessIsSeenAtTheNextLookup() {
        assertEquals(List.of(), relay.certificates().findByEmail(ADDRESS));
        TestPki.Issued first = TestPki.client(ADDRESS).build();
        CertificateRecord added = commandLine.certificates().add(first.certificate(), CertificateKind.CLIENT);

        assertEquals(List.of(added.fingerprint()), fingerprints(relay.certificates().findByEmail(ADDRESS)));
        assertEquals(added.fingerprint(), relay.certificates().findByFingerprint(added.fingerprint()).orElseThrow()
                .fingerprint());
        assertEquals(1, relay.certificates().findByKind(CertificateKind.CLIENT).size());

        commandLine.certificates().delete(added.fingerprint());

        assertEquals(List.of(), relay.certificates().findByEmail(ADDRESS));
        assertTrue(relay.certificates().findByFingerprint(added.fingerprint()).isEmpty());
        assertEquals(List.of(), relay.certificates().findByKind(CertificateKind.CLIENT));
    }

    @Test
    void withinOneReadScopeAnotherProcessesChangeIsSeenByTheNextScopeAndOwnChangesAtOnce() {
        assertEquals(List.of(), relay.certificates().findByEmail(ADDRESS));
        TestPki.Issued first = TestPki.client(ADDRESS).build();
        TestPki.Issued second = TestPki.client(ADDRESS).build();

        List<String> seen = relay.readScope().within(() -> {
            relay.certificates().findByEmail(ADDRESS);
            CertificateRecord other = commandLine.certificates().add(first.certificate(), CertificateKind.CLIENT);
            assertEquals(List.of(), relay.certificates().findByEmail(ADDRESS),
                    "the counters were read once, at the start of the unit");
            CertificateRecord own = relay.certificates().add(second.certificate(), CertificateKind.CLIENT);
            return fingerprints(relay.certificates().findByEmail(ADDRESS)).stream()
                    .filter(f -> f.equals(own.fingerprint()) || f.equals(other.fingerprint())).toList();
        });

        assertTrue(seen.contains(Fingerprints.sha256(second.certificate())), "an own change is seen at once");
        assertEquals(2, relay.readScope().within(() -> relay.certificates().findByEmail(ADDRESS)).size(),
                "the next unit sees the other process's change");
    }

    @Test
    void aCertificateAddedOrDeletedThroughTheSameStoreIsSeenAtOnce() {
        assertEquals(List.of(), relay.certificates().findByKind(CertificateKind.CA));
        CertificateRecord ca = relay.certificates().add(TestPki.ca("Cache CA").certificate(), CertificateKind.CA);
        assertEquals(List.of(ca.fingerprint()), fingerprints(relay.certificates().findByKind(CertificateKind.CA)));
        relay.certificates().delete(ca.fingerprint());
        assertEquals(List.of(), relay.certificates().findByKind(CertificateKind.CA));
    }

    @Test
    void aKeyDeletedOrReplacedByAnotherProcessIsNotUsedAgain() {
        String fingerprint = "ab".repeat(32);
        PrivateKey key = TestPki.rsaKeyPair().getPrivate();
        relay.privateKeys().put(fingerprint, key);
        assertTrue(relay.privateKeys().find(fingerprint).isPresent());
        assertEquals(List.of(fingerprint), relay.privateKeys().certificateFingerprints());

        commandLine.privateKeys().delete(fingerprint);

        assertTrue(relay.privateKeys().find(fingerprint).isEmpty());
        assertEquals(List.of(), relay.privateKeys().certificateFingerprints());

        PrivateKey other = TestPki.ecKeyPair().getPrivate();
        commandLine.privateKeys().put(fingerprint, other);
        assertEquals("EC", relay.privateKeys().find(fingerprint).orElseThrow().getAlgorithm());
    }

    @Test
    void repeatedLookupsReturnTheSameParsedObjects() {
        CertificateRecord added = relay.certificates().add(TestPki.client(ADDRESS).build().certificate(),
                CertificateKind.CLIENT);
        String fingerprint = added.fingerprint();
        relay.privateKeys().put(fingerprint, TestPki.rsaKeyPair().getPrivate());

        assertTrue(relay.certificates().findByEmail(ADDRESS).get(0) == relay.certificates().findByEmail(ADDRESS)
                .get(0), "the record is parsed once");
        assertTrue(relay.privateKeys().find(fingerprint).orElseThrow() == relay.privateKeys().find(fingerprint)
                .orElseThrow(), "the key is decrypted once");
    }

    @Test
    void aSourceChangedByAnotherProcessOrThroughTheSameStoreIsSeenAtTheNextLookup() {
        CertificateRecord pending = relay.certificates().add(TestPki.client(ADDRESS).build().certificate(),
                CertificateKind.CLIENT, CertificateSource.PENDING);
        assertEquals(List.of(CertificateSource.PENDING), sourcesSeenByTheRelay(pending.fingerprint()));

        commandLine.certificates().changeSource(pending.fingerprint(), CertificateSource.APPROVED);

        assertEquals(List.of(CertificateSource.APPROVED), sourcesSeenByTheRelay(pending.fingerprint()));

        relay.certificates().changeSource(pending.fingerprint(), CertificateSource.HARVESTED);

        assertEquals(List.of(CertificateSource.HARVESTED), sourcesSeenByTheRelay(pending.fingerprint()));
    }

    /** The source each cached lookup gives, one entry when they all agree. */
    private List<CertificateSource> sourcesSeenByTheRelay(String fingerprint) {
        return List.of(relay.certificates().findByEmail(ADDRESS).get(0).source(),
                relay.certificates().findByFingerprint(fingerprint).orElseThrow().source(),
                relay.certificates().findByKind(CertificateKind.CLIENT).get(0).source()).stream().distinct().toList();
    }

    @Test
    void repeatedRevocationLookupsReturnTheSameParsedObjectsUntilTheCounterMoves() {
        StoredCrl crl = TestCrls.stored(TestPki.ca("Cached Root"), TestPki.NOW.minus(Duration.ofHours(1)),
                TestPki.NOW.plus(Duration.ofDays(1)), "imported", 1, 2, 3);
        relay.revocation().saveCrl(crl);
        relay.revocation().saveOcsp(answer("ab", TestPki.NOW.minus(Duration.ofHours(1))));
        String issuer = crl.issuerFingerprint();
        String certificate = "ab".repeat(32);

        StoredCrl parsed = relay.revocation().crl(issuer).orElseThrow();
        assertTrue(parsed == relay.revocation().crl(issuer).orElseThrow(), "the CRL is parsed once");
        assertTrue(relay.revocation().ocsp(certificate).orElseThrow() == relay.revocation().ocsp(certificate)
                .orElseThrow(), "the answer is read once");

        commandLine.revocation().saveOcsp(answer("cd", TestPki.NOW.minus(Duration.ofHours(1))));

        StoredCrl reloaded = relay.revocation().crl(issuer).orElseThrow();
        assertTrue(parsed != reloaded, "read again after another process changed the revocation data");
        assertEquals(parsed, reloaded);
    }

    @Test
    void everyRevocationChangeRaisesTheCounterAndASaveThatKeepsTheStoredDataDoesNot() {
        StoreVersions versions = new StoreVersions(relay.dataSource());
        TestPki.Issued ca = TestPki.ca("Counted Root");
        long start = versions.current(StoreVersions.REVOCATION);
        long certificates = versions.current(StoreVersions.CERTIFICATES);

        relay.revocation().saveCrl(TestCrls.stored(ca, TestPki.NOW.minus(Duration.ofHours(2)), null, "imported"));
        commandLine.revocation().saveCrl(TestCrls.stored(ca, TestPki.NOW.minus(Duration.ofHours(1)), null, "imported"));
        relay.revocation().saveOcsp(answer("ef", TestPki.NOW.minus(Duration.ofHours(1))));
        assertEquals(start + 3, versions.current(StoreVersions.REVOCATION));

        relay.revocation().saveCrl(TestCrls.stored(ca, TestPki.NOW.minus(Duration.ofHours(2)), null, "imported"));
        commandLine.revocation().saveOcsp(answer("ef", TestPki.NOW.minus(Duration.ofHours(5))));
        assertEquals(start + 3, versions.current(StoreVersions.REVOCATION));
        assertEquals(certificates, versions.current(StoreVersions.CERTIFICATES));
    }

    private static OcspAnswer answer(String hexByte, Instant thisUpdate) {
        return new OcspAnswer(hexByte.repeat(32), false, null, thisUpdate, thisUpdate.plus(Duration.ofDays(1)),
                "http://ocsp.example.com/", new byte[] {1, 2, 3});
    }

    private static List<String> fingerprints(List<CertificateRecord> records) {
        return records.stream().map(CertificateRecord::fingerprint).toList();
    }
}
