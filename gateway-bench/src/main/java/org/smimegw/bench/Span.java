package org.smimegw.bench;

import java.time.Duration;

/**
 * How long a load stage lasts: a fixed time, or (for the quick smoke run) a fixed number of messages per
 * connection.
 */
record Span(Duration time, int messagesPerConnection) {
    static Span of(Duration time) {
        return new Span(time, 0);
    }

    static Span messages(int perConnection) {
        return new Span(Duration.ZERO, perConnection);
    }

    boolean counted() {
        return messagesPerConnection > 0;
    }

    boolean over(long startNanos, int sentOnThisConnection) {
        return counted() ? sentOnThisConnection >= messagesPerConnection
                : System.nanoTime() - startNanos >= time.toNanos();
    }
}
