package org.smimegw.core.queue;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of the queue's size, for the metrics: message counts per direction and state, and per direction the
 * {@code receivedAt} of the oldest message in state {@link QueueState#QUEUED}. Immutable.
 */
public final class QueueStats {
    private final Map<Direction, Map<QueueState, Long>> counts;
    private final Map<Direction, Instant> oldestQueued;

    private QueueStats(Map<Direction, Map<QueueState, Long>> counts, Map<Direction, Instant> oldestQueued) {
        this.counts = counts;
        this.oldestQueued = oldestQueued;
    }

    /** An empty queue. */
    public static QueueStats empty() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Messages of this direction in this state; 0 when there are none. */
    public long count(Direction direction, QueueState state) {
        Map<QueueState, Long> byState = counts.get(direction);
        return byState == null ? 0 : byState.getOrDefault(state, 0L);
    }

    /** When the oldest queued (not held, not unprocessed) message of this direction was received. */
    public Optional<Instant> oldestQueued(Direction direction) {
        return Optional.ofNullable(oldestQueued.get(direction));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueueStats s && counts.equals(s.counts) && oldestQueued.equals(s.oldestQueued);
    }

    @Override
    public int hashCode() {
        return counts.hashCode() * 31 + oldestQueued.hashCode();
    }

    @Override
    public String toString() {
        return "QueueStats[counts=" + counts + ", oldestQueued=" + oldestQueued + "]";
    }

    /** Collects counts (adding up repeated groups) and oldest instants. Not thread-safe. */
    public static final class Builder {
        private final Map<Direction, Map<QueueState, Long>> counts = new EnumMap<>(Direction.class);
        private final Map<Direction, Instant> oldest = new EnumMap<>(Direction.class);

        private Builder() {
        }

        /**
         * Adds {@code count} messages of this direction and state, the oldest of them received at
         * {@code oldestReceivedAt} (which only counts for {@link QueueState#QUEUED}).
         */
        public Builder add(Direction direction, QueueState state, long count, Instant oldestReceivedAt) {
            if (count <= 0) {
                return this;
            }
            counts.computeIfAbsent(direction, d -> new EnumMap<>(QueueState.class)).merge(state, count, Long::sum);
            if (state == QueueState.QUEUED && oldestReceivedAt != null) {
                oldest.merge(direction, oldestReceivedAt, (a, b) -> a.isBefore(b) ? a : b);
            }
            return this;
        }

        public QueueStats build() {
            Map<Direction, Map<QueueState, Long>> copy = new EnumMap<>(Direction.class);
            counts.forEach((d, m) -> copy.put(d, Map.copyOf(m)));
            return new QueueStats(Map.copyOf(copy), Map.copyOf(oldest));
        }
    }
}
