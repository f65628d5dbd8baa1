package org.smimegw.smtp.mta;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.smimegw.smtp.testing.Await;
import org.smimegw.smtp.testing.ExternalCommand;

/** The mail queue of one private Postfix instance, seen and flushed with {@code postqueue -c DIR}. */
final class PostfixQueue {
    private final Path postqueue;
    private final Path configDirectory;
    private final Maillog maillog;

    PostfixQueue(Path postqueue, Path configDirectory, Maillog maillog) {
        this.postqueue = postqueue;
        this.configDirectory = configDirectory;
        this.maillog = maillog;
    }

    /** {@code postqueue -f}: attempt to deliver everything in the queue now. */
    void flush() throws IOException, InterruptedException {
        postqueue("-f").assertSuccess();
    }

    /** {@code postqueue -p}: the queue listing, with the reason each deferred message is waiting. */
    String listing() throws IOException, InterruptedException {
        return postqueue("-p").assertSuccess().output();
    }

    boolean isEmpty() throws IOException, InterruptedException {
        return listing().contains("Mail queue is empty");
    }

    /** Waits until the queue is empty, at most {@code bound}; fails with the queue listing and the log if not. */
    void awaitEmpty(Duration bound) throws IOException, InterruptedException {
        if (!Await.until(bound, this::isEmpty)) {
            throw new AssertionError("the Postfix queue is not empty after " + bound + ":\n" + listing()
                    + "\n--- maillog\n" + maillog.text());
        }
    }

    private ExternalCommand.Result postqueue(String option) throws IOException, InterruptedException {
        return ExternalCommand.run(PostfixInstance.COMMAND_TIMEOUT,
                List.of(postqueue.toString(), "-c", configDirectory.toString(), option));
    }
}
