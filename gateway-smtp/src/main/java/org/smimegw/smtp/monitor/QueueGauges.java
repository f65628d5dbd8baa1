package org.smimegw.smtp.monitor;

import java.time.Clock;
import java.time.Duration;

import org.smimegw.core.queue.Direction;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.QueueStats;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The queue gauges: {@code smimegw_queue_messages{direction,state}} and
 * {@code smimegw_queue_oldest_age_seconds{direction}} (0 when nothing is queued), read from one cached
 * {@link QueueStats}, so a scrape reads the database at most once per cache period. NaN until the store has answered.
 */
final class QueueGauges {
    private QueueGauges() {
    }

    static void register(MeterRegistry registry, Cached<QueueStats> stats, Clock clock) {
        for (Direction direction : Direction.values()) {
            for (QueueState state : QueueState.values()) {
                Gauge.builder("smimegw.queue.messages", stats,
                                s -> s.get().map(q -> (double) q.count(direction, state)).orElse(Double.NaN))
                        .description("messages in the queue, by direction and state")
                        .tags("direction", direction.word(), "state", state.word())
                        .strongReference(true)
                        .register(registry);
            }
            Gauge.builder("smimegw.queue.oldest.age", stats, s -> s.get().map(q -> q.oldestQueued(direction)
                                    .map(at -> Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0))
                                    .orElse(0.0))
                            .orElse(Double.NaN))
                    .description("age of the oldest message waiting for delivery (state queued); 0 when none")
                    .baseUnit("seconds")
                    .tags("direction", direction.word())
                    .strongReference(true)
                    .register(registry);
        }
    }
}
