package org.smimegw.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.queue.QueueIds;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.server.Session;

/**
 * DATA: reads the message with {@link DataReader}, refuses bare CR/LF and oversize content, and otherwise hands
 * the {@link Arrival} to the handler; the reply is sent only after the handler returned (docs/design.md §3.1: durable
 * before 250). One log line per message, never its content.
 */
final class DataCommand extends SmtpVerb {
    static final String TEMPORARY_FAILURE = "451 4.3.0 temporary failure, try again later";
    static final String BARE_LINE_END = "550 5.5.2 message contains bare CR or LF, not allowed (RFC 5321 2.3.8)";
    private static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);

    private final ListenerContext context;

    DataCommand(ListenerContext context) {
        super("DATA");
        this.context = context;
    }

    @Override
    void run(String argument, Session session) throws IOException, DropConnectionException {
        Transaction transaction = ListenerContext.transaction(session);
        if (transaction == null) {
            session.sendResponse("503 5.5.1 need MAIL command");
            return;
        }
        if (transaction.recipients.isEmpty()) {
            session.sendResponse("554 5.5.1 no valid recipients");
            return;
        }
        if (!argument.isBlank()) {
            session.sendResponse("501 5.5.4 syntax: DATA takes no arguments");
            return;
        }
        if (!context.enterData()) {
            throw new DropConnectionException(421, context.shuttingDown());
        }
        try {
            session.sendResponse("354 End data with <CR><LF>.<CR><LF>");
            DataReader.Result data;
            try {
                data = DataReader.read(session.getRawInput(), context.config.maxMessageBytes(), context.spool);
            } catch (EOFException e) {
                LOG.info("{} client={} closed the connection inside DATA", context.config.direction().word(),
                        ListenerContext.client(session).getHostAddress());
                session.quit();
                return;
            }
            Instant receivedAt = context.clock.instant();
            String id = QueueIds.next(receivedAt);
            String reply = switch (data.outcome()) {
                case BARE_LINE_END -> BARE_LINE_END;
                case TOO_LARGE -> "552 5.3.4 message exceeds fixed maximum message size of "
                        + context.config.maxMessageBytes() + " bytes";
                case COMPLETE -> deliver(session, transaction, id, data.content(), receivedAt);
            };
            session.sendResponse(reply);
            LOG.info("{} {} client={} sender=<{}> recipients={} size={} reply={}", id,
                    context.config.direction().word(), ListenerContext.client(session).getHostAddress(),
                    transaction.sender, transaction.recipients.size(), data.size(), logged(reply));
        } finally {
            session.resetMailTransaction();
            context.leaveData();
        }
    }

    private String deliver(Session session, Transaction transaction, String id, Bytes content, Instant receivedAt) {
        SessionState state = context.state(session);
        String protocol = ReceivedHeader.protocol(state.extended, session.isTLSStarted(), session.isAuthenticated());
        String received = ReceivedHeader.build(session.getHelo().orElse(null), ListenerContext.client(session),
                context.config.hostname(), protocol, id, receivedAt, context.clock.getZone());
        Arrival arrival = new Arrival(id, context.config.direction(), transaction.sender, transaction.recipients,
                content, received, receivedAt);
        try {
            context.handler.handle(arrival);
            return "250 2.0.0 queued as " + id;
        } catch (SmtpRefusal refusal) {
            return refusal.reply();
        } catch (Exception e) {
            LOG.error("{} {}: processing failed, answered 451", id, context.config.direction().word(), e);
            return TEMPORARY_FAILURE;
        }
    }

    /**
     * A reply as the log line shows it: an accepted message's code only (its id starts the line), a refusal whole, so
     * the log says why (docs/design.md §13).
     */
    private static String logged(String reply) {
        return reply.startsWith("2") ? code(reply) : "\"" + reply.replace("\"", "'") + "\"";
    }

    /** {@code 550 5.7.1} of a reply: code and enhanced status, without the text. */
    private static String code(String reply) {
        int second = reply.indexOf(' ', 4);
        return second < 0 ? reply : reply.substring(0, second);
    }
}
