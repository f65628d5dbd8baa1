package org.smimegw.smtp.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.testing.TestPki;
import org.smimegw.core.testing.MutableClock;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** The expiry warnings, with the clock pinned and the log collected. */
class ExpiryWatchTest {
    private static final Instant NOW = TestPki.NOW;
    private static final Duration DAY = Duration.ofDays(1);
    private static final int WINDOW_DAYS = 30;

    private final MutableClock clock = new MutableClock(NOW);
    private final OrgKeys stores = new OrgKeys();
    private final LogCapture log = LogCapture.of(ExpiryWatch.class);
    private final ExpiryWatch watch = new ExpiryWatch(stores.orgCertificates(), WINDOW_DAYS, clock);

    @AfterEach
    void close() {
        watch.close();
        log.close();
    }

    @Test
    void warnsOnceAboutAnOrgCertificateExpiringWithinTheWindowNamingWhatToDo() {
        CertificateRecord expiring = stores.org(NOW.minus(DAY.multipliedBy(300)), NOW.plus(DAY.multipliedBy(10)),
                "support@example.org");
        stores.org(NOW.minus(DAY), NOW.plus(DAY.multipliedBy(300)), "sales@example.org");

        assertEquals(1, watch.check());

        ILoggingEvent line = log.events().get(0);
        assertEquals(Level.WARN, line.getLevel());
        String text = line.getFormattedMessage();
        assertTrue(text.contains(expiring.fingerprint().substring(0, 16)), text);
        assertTrue(text.contains("support@example.org"), text);
        assertTrue(text.contains(expiring.notAfter().toString()), text);
        assertTrue(text.contains("(10 days left)"), text);
        assertTrue(text.contains("smime-gateway key import"), text);
        assertEquals(1, log.events().size(), "the certificate valid for long gives no warning");
    }

    @Test
    void repeatsAWarningOnlyAfterADay() {
        stores.org(NOW.minus(DAY), NOW.plus(DAY.multipliedBy(5)), "support@example.org");
        assertEquals(1, watch.check());

        clock.advance(ExpiryWatch.PERIOD);
        assertEquals(0, watch.check(), "the hourly check does not repeat it");
        clock.advance(DAY.minus(ExpiryWatch.PERIOD));
        assertEquals(1, watch.check(), "a day later it is said again");
        assertTrue(log.messages().get(1).contains("(4 days left)"), log.messages().get(1));
    }

    @Test
    void aRenewedCertificateWithItsKeySilencesTheWarning() {
        stores.org(NOW.minus(DAY.multipliedBy(300)), NOW.plus(DAY.multipliedBy(10)), "support@example.org");
        stores.org(NOW.minus(DAY), NOW.plus(DAY.multipliedBy(400)), "support@example.org");

        assertEquals(0, watch.check());
        assertEquals(List.of(), log.events());
    }

    @Test
    void aRenewalWithoutItsPrivateKeyDoesNotCount() {
        stores.org(NOW.minus(DAY.multipliedBy(300)), NOW.plus(DAY.multipliedBy(10)), "support@example.org");
        stores.contact(NOW.minus(DAY), NOW.plus(DAY.multipliedBy(400)), "support@example.org");

        assertEquals(1, watch.check());
    }

    @Test
    void aRenewalCoveringOnlySomeAddressesLeavesTheWarning() {
        stores.org(NOW.minus(DAY.multipliedBy(300)), NOW.plus(DAY.multipliedBy(10)), "support@example.org",
                "billing@example.org");
        stores.org(NOW.minus(DAY), NOW.plus(DAY.multipliedBy(400)), "support@example.org");

        assertEquals(1, watch.check());
        assertTrue(log.messages().get(0).contains("support@example.org,billing@example.org"), log.messages().get(0));
    }

    @Test
    void anExpiredOrgCertificateWithoutAValidReplacementWarnsThatMailCannotBeSigned() {
        stores.org(NOW.minus(DAY.multipliedBy(400)), NOW.minus(DAY.multipliedBy(3)), "support@example.org");

        assertEquals(1, watch.check());

        String text = log.messages().get(0);
        assertTrue(text.contains("expired"), text);
        assertTrue(text.contains("(3 days ago)"), text);
        assertTrue(text.contains("cannot be signed"), text);
    }

    @Test
    void contactCertificatesAreNotWatched() {
        stores.contact(NOW.minus(DAY), NOW.plus(DAY), "bob@example.net");

        assertEquals(0, watch.check());
    }

    @Test
    void startChecksAtOnceOnTheExecutorAndCloseStopsIt() {
        stores.org(NOW.minus(DAY), NOW.plus(DAY.multipliedBy(5)), "support@example.org");
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

        watch.start(executor);
        awaitTrue(() -> log.events().size() == 1);
        watch.close();

        assertTrue(executor.isShutdown());
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
