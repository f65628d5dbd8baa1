package org.smimegw.smtp.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;

/**
 * The pattern of the shipped logback.xml: key-value pairs as {@code key=value}, plain lines unchanged; and the
 * JSON alternative in config/logback-json.xml: one object per line with the pairs and the formatted message.
 */
class LogPatternTest {

    private static PatternLayout shippedLayout() throws IOException {
        String xml;
        try (InputStream in = LogPatternTest.class.getResourceAsStream("/logback.xml")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher pattern = Pattern.compile("<pattern>(.*)</pattern>").matcher(xml);
        assertTrue(pattern.find(), xml);
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(pattern.group(1));
        layout.start();
        return layout;
    }

    private static LoggingEvent event(LoggerContext context, String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName("org.smimegw.smtp.monitor.MessageLog");
        event.setLevel(Level.INFO);
        event.setMessage(message);
        event.setTimeStamp(0);
        return event;
    }

    @Test
    void printsKeyValuePairsAfterTheMessageAsKeyEqualsValue() throws IOException {
        PatternLayout layout = shippedLayout();
        LoggingEvent event = event((LoggerContext) layout.getContext(), "done");
        event.addKeyValuePair(new KeyValuePair("id", "0123456789abcdef"));
        event.addKeyValuePair(new KeyValuePair("direction", "inbound"));
        event.addKeyValuePair(new KeyValuePair("code", 550));

        String line = layout.doLayout(event);

        assertTrue(line.endsWith(" INFO  MessageLog: done id=0123456789abcdef direction=inbound code=550"
                + System.lineSeparator()), line);
    }

    @Test
    void leavesLinesWithoutKeyValuePairsAsTheyWere() throws IOException {
        PatternLayout layout = shippedLayout();

        String line = layout.doLayout(event((LoggerContext) layout.getContext(), "0123 outbound delivered to=b"));

        assertEquals(" INFO  MessageLog: 0123 outbound delivered to=b" + System.lineSeparator(),
                line.substring(line.indexOf(' ')));
    }

    @Test
    void jsonConfigurationWritesOneObjectPerLineWithTheKeyValuePairsAndTheFormattedMessage() throws JoranException {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("..", "config", "logback-json.xml").toFile());
        OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>) context
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        LoggingEvent event = event(context, "admin page on {}");
        event.setArgumentArray(new Object[] {"http://127.0.0.1:8025/"});
        event.addKeyValuePair(new KeyValuePair("id", "0123456789abcdef"));

        String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);

        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("{\"timestamp\":0,\"level\":\"INFO\","), line);
        assertTrue(line.contains("\"loggerName\":\"org.smimegw.smtp.monitor.MessageLog\""), line);
        assertTrue(line.contains("[{\"id\":\"0123456789abcdef\"}]"), line);
        assertTrue(line.contains("\"formattedMessage\":\"admin page on http:\\/\\/127.0.0.1:8025\\/\""), line);
        context.stop();
    }
}
