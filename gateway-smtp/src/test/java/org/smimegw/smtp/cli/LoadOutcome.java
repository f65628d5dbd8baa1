package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.smimegw.smtp.sink.SmtpSink;

/**
 * What a load through gateway processes killed under it came to at the sink, and the checks the kill tests share
 * ({@link KillNineIT}, {@link ClusterIT}): nothing acknowledged lost, duplicates bounded by the work in flight at the
 * kills, nothing delivered that was never submitted, no bounce.
 */
final class LoadOutcome {
    /** 128 + SIGKILL: the exit status of a process killed with {@code kill -9}. */
    private static final int KILLED_BY_SIGKILL = 137;

    private final SubmissionLoad load;
    private final SmtpSink sink;
    private final Duration wait;
    private final boolean allArrived;
    final long drainMillis;
    final Set<String> acknowledged;
    final Set<String> lost;
    final Set<String> duplicates;
    final Set<String> unacknowledgedButDelivered;
    private final Set<String> unknown;
    private final int deliveredCount;

    private LoadOutcome(SubmissionLoad load, SmtpSink sink, Duration wait, boolean allArrived, long drainMillis) {
        this.load = load;
        this.sink = sink;
        this.wait = wait;
        this.allArrived = allArrived;
        this.drainMillis = drainMillis;
        this.acknowledged = load.acknowledged();
        Map<String, Integer> delivered = sink.accepted();
        this.deliveredCount = delivered.size();
        this.lost = new TreeSet<>(acknowledged);
        lost.removeAll(delivered.keySet());
        this.duplicates = delivered.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        this.unacknowledgedButDelivered = new TreeSet<>(delivered.keySet());
        unacknowledgedButDelivered.removeAll(acknowledged);
        this.unknown = new TreeSet<>(delivered.keySet());
        unknown.removeAll(load.submitted());
    }

    /** Waits (at most {@code wait}) until every acknowledged message has reached the sink, then counts. */
    static LoadOutcome await(SubmissionLoad load, SmtpSink sink, Duration wait) throws InterruptedException {
        long drain = System.nanoTime();
        Set<String> acknowledged = load.acknowledged();
        boolean all = sink.await(accepted -> accepted.keySet().containsAll(acknowledged), wait);
        return new LoadOutcome(load, sink, wait, all, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drain));
    }

    /** {@code N submitted, N acknowledged, N delivered, N lost, N duplicates [...], ...} for the test's summary line. */
    String counts() {
        return String.format("%d submitted, %d acknowledged, %d delivered, %d lost, %d duplicates %s,"
                + " %d unacknowledged but delivered %s, other replies %s", load.submitted().size(), acknowledged.size(),
                deliveredCount, lost.size(), duplicates.size(), duplicates, unacknowledgedButDelivered.size(),
                unacknowledgedButDelivered, load.otherReplies());
    }

    /**
     * Every acknowledged message arrived, at most {@code maxDuplicates} twice ({@code inFlight} says why that many),
     * nothing arrived that was never submitted, and no bounce.
     */
    void assertNoneLostAndDuplicatesAtMost(int maxDuplicates, String inFlight) {
        assertTrue(allArrived && lost.isEmpty(), lost.size() + " acknowledged messages were not delivered within "
                + wait.toSeconds() + " s: " + lost);
        assertTrue(duplicates.size() <= maxDuplicates, "more duplicates than " + inFlight + ": " + duplicates);
        assertTrue(unknown.isEmpty(), "delivered but never submitted: " + unknown);
        assertEquals(0, sink.withoutKey(), "a message without sequence header (a bounce?) was delivered");
    }

    /** SIGKILL, checked by the exit status: no shutdown hook, no graceful stop, no lease given back. */
    static void killNine(GatewayJar.Started gateway) throws InterruptedException {
        gateway.process().destroyForcibly();
        assertTrue(gateway.process().waitFor(GatewayJar.TIMEOUT_SECONDS, TimeUnit.SECONDS), "not dead after SIGKILL");
        assertEquals(KILLED_BY_SIGKILL, gateway.process().exitValue(), "the process was not ended by SIGKILL");
    }

    static void awaitAcknowledged(SubmissionLoad load, int count, Duration wait) {
        assertTrue(load.awaitAcknowledged(count, wait), "only " + load.acknowledged().size() + " of " + count
                + " messages acknowledged within " + wait.toSeconds() + " s; other replies " + load.otherReplies());
    }

    /** Nothing may stay in the queue, e.g. under a dead process's lease that nobody takes up. */
    static void awaitEmptyQueue(GatewayJar jar, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        GatewayJar.Run list = jar.succeeds(Map.of(), "queue", "list");
        while (!list.out().isBlank() && System.nanoTime() < deadline) {
            list = jar.succeeds(Map.of(), "queue", "list");
        }
        assertTrue(list.out().isBlank(), "still queued:\n" + list.out());
    }
}
