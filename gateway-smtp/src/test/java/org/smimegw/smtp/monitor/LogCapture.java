package org.smimegw.smtp.monitor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** Collects what one logger logs at INFO and above while open; restores the logger's level on close. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level previous;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName());
    }

    public synchronized List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** Each event's key-value pairs in order, values as strings. */
    public List<Map<String, String>> keyValues() {
        return events().stream().map(LogCapture::pairs).toList();
    }

    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    static Map<String, String> pairs(ILoggingEvent event) {
        Map<String, String> pairs = new LinkedHashMap<>();
        List<KeyValuePair> list = event.getKeyValuePairs();
        if (list != null) {
            list.forEach(p -> pairs.put(p.key, String.valueOf(p.value)));
        }
        return pairs;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
    }
}
