package org.smimegw.store;

import org.smimegw.core.queue.MessageQueue;

/**
 * What every {@link MessageQueue} promises, part by part. Time is pinned: every instant is an argument
 * ({@link QueueFixture}).
 */
public interface MessageQueueContract extends EnqueueContract, LeaseContract, AttemptContract,
        OperatorActionsContract, FailedAttemptsContract, QueueStatsContract, LeaseRenewalContract {
}
