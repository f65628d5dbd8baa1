package org.smimegw.smtp.monitor;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.smimegw.core.queue.Direction;

/**
 * The one INFO line per message when it reaches its final state (delivered, bounced, refused at intake, held, kept
 * unprocessed), with SLF4J key-value pairs: {@code done id=... direction=... <verdicts> result=... <details>}.
 * Values are ids, words and numbers only: never a body, a header beyond what the caller passes, or a key. The
 * logger is {@code org.smimegw.smtp.monitor.MessageLog}, so a log configuration can route these lines alone.
 */
public final class MessageLog {
    private static final Logger LOG = LoggerFactory.getLogger(MessageLog.class);

    private MessageLog() {
    }

    /**
     * Logs the final line of one message.
     *
     * @param verdicts {@link Verdicts} words, or null when there are none (a DSN, a refused or unprocessed message)
     * @param result {@code delivered}, {@code bounced}, {@code partial}, {@code refused}, {@code held} or
     *               {@code unprocessed}
     * @param details more pairs in order, key then value (counts, the reply code): keys are words, values numbers or
     *                words
     */
    public static void done(String id, Direction direction, String verdicts, String result, Object... details) {
        if (details.length % 2 != 0) {
            throw new IllegalArgumentException("details come in key-value pairs");
        }
        if (!LOG.isInfoEnabled()) {
            return;
        }
        LoggingEventBuilder line = LOG.atInfo().setMessage("done").addKeyValue("id", id)
                .addKeyValue("direction", direction.word());
        for (Map.Entry<String, String> verdict : Verdicts.pairs(verdicts)) {
            line = line.addKeyValue(verdict.getKey(), verdict.getValue());
        }
        line = line.addKeyValue("result", result);
        for (int i = 0; i < details.length; i += 2) {
            line = line.addKeyValue(String.valueOf(details[i]), details[i + 1]);
        }
        line.log();
    }
}
