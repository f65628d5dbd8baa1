package org.smimegw.store;

import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.testing.InMemoryMessageQueue;

/**
 * The queue contract on the in-memory queue of the core test-jar, so that tests of the listeners and workers, which
 * use it, rely on the same behaviour as the JDBC queue.
 */
class InMemoryMessageQueueTest implements MessageQueueContract {
    private final MessageQueue queue = new InMemoryMessageQueue();

    @Override
    public MessageQueue queue() {
        return queue;
    }
}
