package org.smimegw.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import org.smimegw.core.mime.SpoolArea;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * DATA for a SubEthaSMTP server that keeps SubEthaSMTP's other commands and hands messages to its
 * {@link org.subethamail.smtp.MessageHandler} (the {@code SmtpSink} of the demo, the tests and the benchmark). It
 * answers as SubEthaSMTP's own DATA does, but reads the message in blocks with {@link DataReader} instead of one byte
 * at a time through SubEthaSMTP's streams, which cost the benchmark's sink a fifth of the JVM's CPU
 * (docs/performance.md). Bare CR or LF is refused as by the gateway's listeners. Thread-safe.
 */
public final class HandlerDataCommand extends SmtpVerb {
    private final SpoolArea area;

    private HandlerDataCommand(SpoolArea area) {
        super("DATA");
        this.area = area;
    }

    /** Puts this DATA in the place of the server's own; its other commands stay. */
    public static void install(SMTPServer server, SpoolArea area) {
        SubEthaCommands.replace(server, new HandlerDataCommand(area));
    }

    @Override
    void run(String argument, Session session) throws IOException {
        if (!session.isMailTransactionInProgress()) {
            session.sendResponse("503 5.5.1 Error: need MAIL command");
            return;
        }
        if (session.getRecipientCount() == 0) {
            session.sendResponse("503 5.5.1 Error: need RCPT command");
            return;
        }
        try {
            session.sendResponse("354 End data with <CR><LF>.<CR><LF>");
            DataReader.Result data;
            try {
                data = DataReader.read(session.getRawInput(), Integer.MAX_VALUE, area);
            } catch (EOFException e) {
                session.quit();
                return;
            }
            if (data.outcome() == DataReader.Outcome.BARE_LINE_END) {
                session.sendResponse(DataCommand.BARE_LINE_END);
                return;
            }
            try (InputStream content = data.content().openStream()) {
                session.getMessageHandler().data(content);
                session.sendResponse("250 Ok");
            } catch (RejectException e) {
                session.sendResponse(e.getErrorResponse());
            }
        } finally {
            session.resetMailTransaction();
        }
    }
}
