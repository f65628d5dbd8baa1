package org.smimegw.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

/**
 * Group commit (ADR 20): the writes that make a message durable (its queue row with its audit events at intake, the
 * end of a delivery attempt with its audit events, audit events alone) are queued here by the threads that make them;
 * whichever thread takes the writer lock runs every queued write in one transaction, so concurrent listener threads
 * and delivery workers share one commit instead of making one each. When that shared transaction fails, each write
 * runs again in a transaction of its own, so one writer's failure (an id already taken, a lost connection) stays
 * its own. Each caller returns once its own write is committed, or throws what its write threw. Thread-safe.
 */
final class GroupCommit {
    /** One writer's statements, run inside the shared transaction on its connection. */
    interface Write<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final Queue<Pending<?>> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writer = new ReentrantLock();

    GroupCommit(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs the write in a transaction shared with the writes queued meanwhile; durable when this returns. */
    <T> T run(Write<T> write) throws SQLException {
        Pending<T> mine = new Pending<>(write);
        waiting.add(mine);
        writer.lock();
        try {
            if (!mine.done) {
                List<Pending<?>> batch = new ArrayList<>();
                for (Pending<?> next = waiting.poll(); next != null; next = waiting.poll()) {
                    batch.add(next);
                }
                commit(batch);
            }
        } finally {
            writer.unlock();
        }
        return mine.outcome();
    }

    /** A write waiting for its commit, and how it ended. Read and written under {@link #writer}. */
    private static final class Pending<T> {
        final Write<T> write;
        boolean done;
        T result;
        Exception failure;

        Pending(Write<T> write) {
            this.write = write;
        }

        void runIn(Connection connection) throws SQLException {
            result = write.run(connection);
        }

        T outcome() throws SQLException {
            if (failure instanceof SQLException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            return result;
        }
    }

    private void commit(List<Pending<?>> batch) {
        try (Connection connection = dataSource.getConnection()) {
            if (batch.size() > 1 && together(connection, batch)) {
                return;
            }
            for (Pending<?> pending : batch) {
                alone(connection, pending);
            }
        } catch (SQLException | RuntimeException e) {
            for (Pending<?> pending : batch) {
                if (!pending.done) {
                    pending.failure = e;
                    pending.done = true;
                }
            }
        }
    }

    /** True when every write of the batch committed in one transaction; false when it was rolled back. */
    private static boolean together(Connection connection, List<Pending<?>> batch) throws SQLException {
        try {
            Sql.inTransaction(connection, () -> {
                for (Pending<?> pending : batch) {
                    pending.runIn(connection);
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            batch.forEach(pending -> pending.result = null);
            return false;
        }
        batch.forEach(pending -> pending.done = true);
        return true;
    }

    private static void alone(Connection connection, Pending<?> pending) {
        try {
            Sql.inTransaction(connection, () -> {
                pending.runIn(connection);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            pending.result = null;
            pending.failure = e;
        }
        pending.done = true;
    }
}
