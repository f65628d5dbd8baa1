package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.QueueStats;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.core.testing.TestPki;

/**
 * What every {@link MessageQueue} promises about {@link MessageQueue#stats} (the queue metrics) and the verdicts kept
 * with a message for its final log line.
 */
public interface QueueStatsContract {
    Instant START = TestPki.NOW;
    byte[] BODY = "From: a@example.org\r\n\r\nstats\r\n".getBytes(StandardCharsets.US_ASCII);

    MessageQueue queue();

    @Test
    default void statsOfAnEmptyQueueCountNothingAndKnowNoOldestMessage() {
        QueueStats stats = queue().stats();

        for (Direction direction : Direction.values()) {
            for (QueueState state : QueueState.values()) {
                assertEquals(0, stats.count(direction, state));
            }
            assertEquals(Optional.empty(), stats.oldestQueued(direction));
        }
    }

    @Test
    default void statsCountMessagesByDirectionAndStateWithTheOldestQueuedPerDirection() {
        Instant older = START.minusSeconds(600);
        Instant newer = START.minusSeconds(60);
        put(Direction.OUTBOUND, newer);
        put(Direction.OUTBOUND, older);
        String held = put(Direction.OUTBOUND, START.minusSeconds(3600));
        queue().hold(held);
        put(Direction.INBOUND, newer);
        queue().enqueueUnprocessed(QueueIds.next(START), Direction.INBOUND, "x@example.net",
                List.of("helpdesk@example.org"), Bytes.of(BODY), START.minusSeconds(7200), "crashed");

        QueueStats stats = queue().stats();

        assertEquals(2, stats.count(Direction.OUTBOUND, QueueState.QUEUED));
        assertEquals(1, stats.count(Direction.OUTBOUND, QueueState.HELD));
        assertEquals(0, stats.count(Direction.OUTBOUND, QueueState.UNPROCESSED));
        assertEquals(1, stats.count(Direction.INBOUND, QueueState.QUEUED));
        assertEquals(1, stats.count(Direction.INBOUND, QueueState.UNPROCESSED));
        // held and unprocessed messages wait for the operator, not for delivery: they do not age the queue
        assertEquals(Optional.of(older), stats.oldestQueued(Direction.OUTBOUND));
        assertEquals(Optional.of(newer), stats.oldestQueued(Direction.INBOUND));
    }

    @Test
    default void aDeliveredMessageLeavesTheStats() {
        String id = put(Direction.OUTBOUND, START);
        queue().lease("w1", START, Duration.ofMinutes(5)).orElseThrow();

        queue().finishAttempt(id, "w1", List.of(new RecipientStatus("b@example.com", RecipientStatus.State.DELIVERED,
                "250 ok")), START, "1 delivered");

        assertEquals(QueueStats.empty(), queue().stats());
    }

    @Test
    default void verdictsTravelWithTheQueuedMessageAndItsLease() {
        String id = QueueIds.next(START);
        queue().enqueue(id, Direction.INBOUND, "x@example.net", List.of("helpdesk@example.org"), Bytes.of(BODY),
                START, "smime=pass encryption=decrypted");

        assertEquals("smime=pass encryption=decrypted", queue().find(id).orElseThrow().verdicts());
        assertEquals("smime=pass encryption=decrypted",
                queue().lease("w1", START, Duration.ofMinutes(5)).orElseThrow().entry().verdicts());
    }

    @Test
    default void aMessageQueuedWithoutVerdictsHasNone() {
        String id = put(Direction.OUTBOUND, START);

        assertNull(queue().find(id).orElseThrow().verdicts());
    }

    private String put(Direction direction, Instant receivedAt) {
        String id = QueueIds.next(receivedAt);
        queue().enqueue(id, direction, "a@example.org", List.of("b@example.com"), Bytes.of(BODY), receivedAt);
        return id;
    }
}
