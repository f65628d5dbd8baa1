package org.smimegw.smtp.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.smimegw.smtp.config.GatewayConfig;

/**
 * When a message with temporarily failed recipients is tried again ({@code delivery.retry.intervals}), and when it is
 * given up ({@code delivery.max.age}). After attempt n (counting from 1) the wait is {@code intervals[n-1]}, the last
 * interval repeating, but a wait that would end after {@code receivedAt + maxAge} is cut short so that the last
 * attempt falls on the maximum age: an upstream outage that ends before it costs no bounce. A message expires when an
 * attempt that ended at or after its maximum age failed: its pending recipients then fail with status 4.4.7.
 * Immutable.
 */
public final class RetrySchedule {

    /** What follows a failed attempt. */
    public sealed interface Decision {
    }

    /** Try again at {@code at}. */
    public record RetryAt(Instant at) implements Decision {
    }

    /** Give up: the message has been queued too long. */
    public record Expired(Duration maxAge) implements Decision {
    }

    private final List<Duration> intervals;
    private final Duration maxAge;

    public RetrySchedule(List<Duration> intervals, Duration maxAge) {
        if (intervals.isEmpty() || intervals.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("retry intervals must be positive and at least one: " + intervals);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("max age must be positive: " + maxAge);
        }
        this.intervals = List.copyOf(intervals);
        this.maxAge = maxAge;
    }

    public static RetrySchedule of(GatewayConfig config) {
        return new RetrySchedule(config.retryIntervals(), config.maxAge());
    }

    /** The wait after attempt {@code attempt} (from 1). */
    public Duration waitAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        return intervals.get(Math.min(attempt - 1, intervals.size() - 1));
    }

    /**
     * @param receivedAt when the message was queued
     * @param attemptsFinished attempts made so far, including the one that just failed (at least 1)
     * @param now when that attempt ended
     */
    public Decision next(Instant receivedAt, int attemptsFinished, Instant now) {
        Instant deadline = receivedAt.plus(maxAge);
        if (!now.isBefore(deadline)) {
            return new Expired(maxAge);
        }
        Instant at = now.plus(waitAfter(attemptsFinished));
        return new RetryAt(at.isAfter(deadline) ? deadline : at);
    }

    public Duration maxAge() {
        return maxAge;
    }

    /** What a recipient that expired is told, e.g. {@code 4.4.7 delivery time expired after 5d; last reply: ...}. */
    public String expiryReason(Reply lastReply) {
        return "4.4.7 delivery time expired after " + format(maxAge) + "; last reply: " + lastReply.line();
    }

    /** {@code 5d}, {@code 4h}, {@code 90m}, {@code 45s}: the configuration's own notation ({@code ms} below it). */
    public static String format(Duration d) {
        long seconds = d.getSeconds();
        if (d.getNano() != 0 || seconds == 0) {
            return d.toMillis() + "ms";
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
