package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private static final Instant RECEIVED = Instant.parse("2026-06-01T12:00:00Z");
    private final RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4)), Duration.ofDays(5));

    @Test
    void waitsFollowTheIntervalsAndTheLastRepeats() {
        assertEquals(Duration.ofMinutes(1), schedule.waitAfter(1));
        assertEquals(Duration.ofMinutes(5), schedule.waitAfter(2));
        assertEquals(Duration.ofMinutes(15), schedule.waitAfter(3));
        assertEquals(Duration.ofHours(1), schedule.waitAfter(4));
        assertEquals(Duration.ofHours(4), schedule.waitAfter(5));
        assertEquals(Duration.ofHours(4), schedule.waitAfter(6));
        assertEquals(Duration.ofHours(4), schedule.waitAfter(500));
    }

    @Test
    void nextAttemptCountsFromTheEndOfTheFailedAttempt() {
        Instant now = RECEIVED.plusSeconds(7);
        assertEquals(new RetrySchedule.RetryAt(now.plus(Duration.ofMinutes(1))), schedule.next(RECEIVED, 1, now));
        Instant later = RECEIVED.plus(Duration.ofHours(3));
        assertEquals(new RetrySchedule.RetryAt(later.plus(Duration.ofHours(4))), schedule.next(RECEIVED, 9, later));
    }

    @Test
    void aWaitThatWouldCrossTheMaximumAgeIsCutShortSoTheLastAttemptFallsOnIt() {
        Instant deadline = RECEIVED.plus(Duration.ofDays(5));
        Instant exactlyOnTime = deadline.minus(Duration.ofHours(4));
        assertEquals(new RetrySchedule.RetryAt(deadline), schedule.next(RECEIVED, 7, exactlyOnTime));
        assertEquals(new RetrySchedule.RetryAt(deadline), schedule.next(RECEIVED, 7, exactlyOnTime.plusSeconds(1)));
        assertEquals(new RetrySchedule.RetryAt(deadline), schedule.next(RECEIVED, 7, deadline.minusMillis(1)));
    }

    @Test
    void expiresOnlyWhenAnAttemptAtOrAfterTheMaximumAgeFailed() {
        Instant deadline = RECEIVED.plus(Duration.ofDays(5));
        assertEquals(new RetrySchedule.Expired(Duration.ofDays(5)), schedule.next(RECEIVED, 30, deadline));
        assertEquals(new RetrySchedule.Expired(Duration.ofDays(5)),
                schedule.next(RECEIVED, 30, deadline.plus(Duration.ofDays(2))));
    }

    /** The promise: an upstream outage of any length within delivery.max.age loses nothing. */
    @Test
    void anOutageThatEndsJustBeforeTheMaximumAgeIsStillOutlivedByAnAttempt() {
        Instant deadline = RECEIVED.plus(Duration.ofDays(5));
        Instant outageEnds = deadline.minusSeconds(1);
        Instant attempt = RECEIVED;
        int attempts = 0;
        while (attempt.isBefore(outageEnds)) {
            attempts++;
            RetrySchedule.Decision next = schedule.next(RECEIVED, attempts, attempt);
            assertEquals(RetrySchedule.RetryAt.class, next.getClass(), "gave up after attempt " + attempts + " at "
                    + attempt + ", before the maximum age");
            attempt = ((RetrySchedule.RetryAt) next).at();
        }
        assertEquals(deadline, attempt, "the last attempt falls on the maximum age");
    }

    @Test
    void aMaximumAgeShorterThanTheFirstWaitStillGetsASecondAttemptAtThatAge() {
        RetrySchedule tight = new RetrySchedule(List.of(Duration.ofMinutes(10)), Duration.ofMinutes(5));
        assertEquals(new RetrySchedule.RetryAt(RECEIVED.plus(Duration.ofMinutes(5))), tight.next(RECEIVED, 1, RECEIVED));
        assertEquals(new RetrySchedule.Expired(Duration.ofMinutes(5)),
                tight.next(RECEIVED, 2, RECEIVED.plus(Duration.ofMinutes(5))));
    }

    @Test
    void expiryReasonNamesTheAgeAndTheLastReply() {
        assertEquals("4.4.7 delivery time expired after 5d; last reply: 451 4.3.0 try later",
                schedule.expiryReason(Reply.fromRelay(451, "451 4.3.0 try later")));
        assertEquals("4.4.7 delivery time expired after 5d; last reply: cannot connect to mx:25",
                schedule.expiryReason(Reply.local("cannot connect to mx:25")));
    }

    @Test
    void durationsAreWrittenAsInTheConfiguration() {
        assertEquals("5d", RetrySchedule.format(Duration.ofDays(5)));
        assertEquals("4h", RetrySchedule.format(Duration.ofHours(4)));
        assertEquals("90m", RetrySchedule.format(Duration.ofMinutes(90)));
        assertEquals("45s", RetrySchedule.format(Duration.ofSeconds(45)));
        assertEquals("200ms", RetrySchedule.format(Duration.ofMillis(200)));
        assertEquals("1500ms", RetrySchedule.format(Duration.ofMillis(1500)));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(List.of(), Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new RetrySchedule(List.of(Duration.ZERO), Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new RetrySchedule(List.of(Duration.ofMinutes(1)), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> schedule.waitAfter(0));
    }
}
