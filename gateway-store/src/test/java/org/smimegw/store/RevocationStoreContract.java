package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.smimegw.core.port.RevocationStore;
import org.smimegw.core.revocation.OcspAnswer;
import org.smimegw.core.revocation.StoredCrl;
import org.smimegw.core.testing.TestPki;

/** What every {@link RevocationStore} promises, on one store and between two nodes on the same data. */
public interface RevocationStoreContract {
    Instant NOW = TestPki.NOW;
    String RESPONDER = "http://ocsp.example.com/";

    RevocationStore revocation();

    /** The same data as another node (or the command line beside the relay) opens it. */
    RevocationStore revocationOfAnotherNode();

    @Test
    default void savedCrlIsReadBackWithAllItsFacts() {
        StoredCrl crl = TestCrls.stored(TestPki.ca("CRL Root"), hoursAgo(1), NOW.plus(Duration.ofDays(7)),
                "http://crl.example.com/root.crl", 1001, 1002);

        assertEquals(crl, revocation().saveCrl(crl));

        StoredCrl found = revocation().crl(crl.issuerFingerprint()).orElseThrow();
        assertEquals(crl, found);
        assertEquals(crl.crl(), found.crl());
        assertNotNull(found.crl().getRevokedCertificate(BigInteger.valueOf(1002)));
        assertNull(found.crl().getRevokedCertificate(BigInteger.valueOf(1003)));
        assertEquals(found, revocation().crl(crl.issuerFingerprint().toUpperCase(Locale.ROOT)).orElseThrow());
    }

    @Test
    default void crlWithoutNextUpdateIsKeptWithoutOne() {
        StoredCrl crl = TestCrls.stored(TestPki.ca("Open-ended Root"), hoursAgo(1), null, "imported");

        revocation().saveCrl(crl);

        StoredCrl found = revocation().crl(crl.issuerFingerprint()).orElseThrow();
        assertNull(found.nextUpdate());
        assertEquals(crl, found);
    }

    @Test
    default void issuerWithoutCrlHasNone() {
        assertTrue(revocation().crl("00".repeat(32)).isEmpty());
        assertEquals(List.of(), revocation().crls());
    }

    @Test
    default void newerCrlReplacesTheStoredOne() {
        TestPki.Issued ca = TestPki.ca("Rolling Root");
        StoredCrl older = TestCrls.stored(ca, hoursAgo(30), hoursAgo(6), "imported", 1);
        StoredCrl newer = TestCrls.stored(ca, hoursAgo(6), NOW.plus(Duration.ofHours(18)), "http://crl.example.com/r",
                1, 2, 3);
        revocation().saveCrl(older);

        assertEquals(newer, revocation().saveCrl(newer));

        assertEquals(newer, revocation().crl(newer.issuerFingerprint()).orElseThrow());
        assertEquals(List.of(newer), revocation().crls());
    }

    @Test
    default void olderOrEquallyOldCrlLeavesTheStoredOneAndGetsItBack() {
        TestPki.Issued ca = TestPki.ca("Steady Root");
        StoredCrl stored = TestCrls.stored(ca, hoursAgo(2), NOW.plus(Duration.ofDays(1)), "imported", 7);
        StoredCrl older = TestCrls.stored(ca, hoursAgo(26), hoursAgo(2), "http://crl.example.com/s");
        StoredCrl sameTime = TestCrls.stored(ca, hoursAgo(2), NOW.plus(Duration.ofDays(2)),
                "http://crl.example.com/s", 7, 8);
        revocation().saveCrl(stored);

        assertEquals(stored, revocation().saveCrl(older));
        assertEquals(stored, revocation().saveCrl(sameTime));

        assertEquals(stored, revocation().crl(stored.issuerFingerprint()).orElseThrow());
        assertEquals(List.of(stored), revocation().crls());
    }

    @Test
    default void crlsAreListedByIssuerNameWhateverTheDatabaseCollation() {
        List<StoredCrl> saved = new ArrayList<>();
        for (String name : List.of("beta", "Gamma", "alpha", "Beta", "alpha")) {
            StoredCrl crl = TestCrls.stored(TestPki.ca(name), hoursAgo(1), NOW.plus(Duration.ofDays(1)), "imported");
            revocation().saveCrl(crl);
            saved.add(crl);
        }
        saved.sort(Comparator.comparing(StoredCrl::issuer).thenComparing(StoredCrl::issuerFingerprint));

        List<StoredCrl> listed = revocation().crls();

        assertEquals(List.of("CN=Beta", "CN=Gamma", "CN=alpha", "CN=alpha", "CN=beta"),
                listed.stream().map(StoredCrl::issuer).toList());
        assertEquals(saved, listed);
    }

    @Test
    default void concurrentSavesFromTwoNodesKeepTheNewestCrl() throws Exception {
        TestPki.Issued ca = TestPki.ca("Busy Root");
        int writers = 8;
        List<StoredCrl> offered = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            // the newest one is offered by neither the first nor the last writer
            int age = (i + writers / 2) % writers;
            offered.add(TestCrls.stored(ca, hoursAgo(age + 1), NOW.plus(Duration.ofDays(1)), "writer " + i));
        }
        StoredCrl newest = offered.stream().max(Comparator.comparing(StoredCrl::thisUpdate)).orElseThrow();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        try {
            List<Future<StoredCrl>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                RevocationStore node = i % 2 == 0 ? revocation() : revocationOfAnotherNode();
                StoredCrl crl = offered.get(i);
                Callable<StoredCrl> save = () -> {
                    start.await();
                    return node.saveCrl(crl);
                };
                results.add(executor.submit(save));
            }
            start.countDown();
            for (int i = 0; i < writers; i++) {
                StoredCrl kept = results.get(i).get();
                assertTrue(offered.contains(kept), kept.origin());
                assertFalse(kept.thisUpdate().isBefore(offered.get(i).thisUpdate()),
                        "a save never leaves an older CRL than its own: " + kept.origin());
            }
        } finally {
            executor.shutdownNow();
        }
        assertEquals(newest, revocation().crl(newest.issuerFingerprint()).orElseThrow());
        assertEquals(newest, revocationOfAnotherNode().crl(newest.issuerFingerprint()).orElseThrow());
    }

    @Test
    default void ocspAnswersAreReadBackWithAllTheirFacts() {
        OcspAnswer revoked = answer("aa", true, hoursAgo(50), hoursAgo(1), "revoked");
        OcspAnswer good = answer("bb", false, null, hoursAgo(2), "good");
        revocation().saveOcsp(revoked);
        revocation().saveOcsp(good);

        assertSameAnswer(revoked, revocation().ocsp(revoked.certificateFingerprint()).orElseThrow());
        assertSameAnswer(good, revocation().ocsp(good.certificateFingerprint().toUpperCase(Locale.ROOT))
                .orElseThrow());
        assertTrue(revocation().ocsp("cc".repeat(32)).isEmpty());
    }

    @Test
    default void newerOcspAnswerReplacesTheStoredOne() {
        OcspAnswer first = answer("dd", false, null, hoursAgo(30), "first");
        OcspAnswer second = answer("dd", true, hoursAgo(10), hoursAgo(1), "second");
        revocation().saveOcsp(first);

        revocation().saveOcsp(second);

        assertSameAnswer(second, revocation().ocsp(first.certificateFingerprint()).orElseThrow());
    }

    @Test
    default void olderOcspAnswerLeavesTheNewerOne() {
        OcspAnswer newer = answer("ee", true, hoursAgo(10), hoursAgo(1), "newer");
        OcspAnswer older = answer("ee", false, null, hoursAgo(30), "older");
        revocation().saveOcsp(newer);

        revocation().saveOcsp(older);

        assertSameAnswer(newer, revocation().ocsp(newer.certificateFingerprint()).orElseThrow());
    }

    @Test
    default void saveByAnotherNodeIsSeenAtTheNextLookup() {
        TestPki.Issued ca = TestPki.ca("Shared Root");
        StoredCrl first = TestCrls.stored(ca, hoursAgo(30), hoursAgo(6), "imported");
        StoredCrl second = TestCrls.stored(ca, hoursAgo(6), NOW.plus(Duration.ofHours(18)), "imported", 5);
        OcspAnswer good = answer("ff", false, null, hoursAgo(30), "good");
        OcspAnswer revoked = answer("ff", true, hoursAgo(3), hoursAgo(1), "revoked");
        assertTrue(revocation().crl(first.issuerFingerprint()).isEmpty());
        assertTrue(revocation().ocsp(good.certificateFingerprint()).isEmpty());

        revocationOfAnotherNode().saveCrl(first);
        revocationOfAnotherNode().saveOcsp(good);

        assertEquals(first, revocation().crl(first.issuerFingerprint()).orElseThrow());
        assertSameAnswer(good, revocation().ocsp(good.certificateFingerprint()).orElseThrow());

        revocationOfAnotherNode().saveCrl(second);
        revocationOfAnotherNode().saveOcsp(revoked);

        assertEquals(second, revocation().crl(first.issuerFingerprint()).orElseThrow());
        assertEquals(List.of(second), revocation().crls());
        assertSameAnswer(revoked, revocation().ocsp(good.certificateFingerprint()).orElseThrow());
    }

    private static Instant hoursAgo(int hours) {
        return NOW.minus(Duration.ofHours(hours));
    }

    /** An answer about the certificate whose fingerprint is {@code hexByte} 32 times, current for a day. */
    private static OcspAnswer answer(String hexByte, boolean revoked, Instant revokedAt, Instant thisUpdate,
            String body) {
        return new OcspAnswer(hexByte.repeat(32), revoked, revokedAt, thisUpdate, thisUpdate.plus(Duration.ofDays(1)),
                RESPONDER + hexByte, body.getBytes(StandardCharsets.US_ASCII));
    }

    /** Field by field: the record's own equality compares the response array by identity. */
    private static void assertSameAnswer(OcspAnswer expected, OcspAnswer actual) {
        assertEquals(expected.certificateFingerprint(), actual.certificateFingerprint());
        assertEquals(expected.revoked(), actual.revoked());
        assertEquals(expected.revokedAt(), actual.revokedAt());
        assertEquals(expected.thisUpdate(), actual.thisUpdate());
        assertEquals(expected.nextUpdate(), actual.nextUpdate());
        assertEquals(expected.responder(), actual.responder());
        assertArrayEquals(expected.response(), actual.response());
    }
}
