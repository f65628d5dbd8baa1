package org.smimegw.smtp.server;

import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.smimegw.core.mime.MailboxSyntax;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.server.Session;

/**
 * MAIL FROM: starts a transaction. Needs EHLO/HELO first, and STARTTLS first when TLS is required. Takes the null
 * sender {@code <>}, checks the address syntax, and knows SIZE (refused above the limit), BODY (7BIT, 8BITMIME)
 * and AUTH (accepted and ignored, RFC 4954); other parameters are refused.
 */
final class MailCommand extends SmtpVerb {
    private static final String SYNTAX = "501 5.5.4 syntax: MAIL FROM:<address> [SIZE=n] [BODY=7BIT|8BITMIME]";

    private final ListenerContext context;

    MailCommand(ListenerContext context) {
        super("MAIL");
        this.context = context;
    }

    @Override
    void run(String argument, Session session) throws IOException, DropConnectionException {
        if (session.getHelo().isEmpty()) {
            session.sendResponse("503 5.5.1 send EHLO or HELO first");
            return;
        }
        if (context.config.settings().tlsRequired() && !session.isTLSStarted()) {
            session.sendResponse("530 5.7.0 Must issue a STARTTLS command first");
            return;
        }
        if (session.isMailTransactionInProgress()) {
            session.sendResponse("503 5.5.1 sender already specified");
            return;
        }
        if (context.stopping()) {
            throw new DropConnectionException(421, context.shuttingDown());
        }
        EnvelopeSyntax.PathArgument path = EnvelopeSyntax.parse(argument, "FROM:");
        if (path == null) {
            session.sendResponse(SYNTAX);
            return;
        }
        String sender = path.address();
        if (!sender.isEmpty()) {
            String problem = MailboxSyntax.problem(sender);
            if (problem != null) {
                session.sendResponse("553 5.1.7 sender address <" + EnvelopeSyntax.printable(sender) + "> "
                        + problem);
                return;
            }
        }
        String parameterProblem = checkParameters(path);
        if (parameterProblem != null) {
            session.sendResponse(parameterProblem);
            return;
        }
        session.startMailTransaction();
        ListenerContext.transaction(session).sender = sender;
        session.sendResponse("250 2.1.0 sender <" + sender + "> ok");
    }

    /** The reply for the first unacceptable parameter, or null when all are fine. */
    private String checkParameters(EnvelopeSyntax.PathArgument path) {
        Set<String> seen = new HashSet<>();
        for (String parameter : path.parameters()) {
            String keyword = EnvelopeSyntax.keyword(parameter);
            String value = EnvelopeSyntax.value(parameter);
            if (!seen.add(keyword)) {
                return "501 5.5.4 parameter " + EnvelopeSyntax.printable(keyword) + " given twice";
            }
            switch (keyword) {
                case "SIZE" -> {
                    if (value == null || !value.matches("[0-9]{1,18}")) {
                        return "501 5.5.4 SIZE needs a number of bytes";
                    }
                    if (Long.parseLong(value) > context.config.maxMessageBytes()) {
                        return "552 5.3.4 message size exceeds fixed maximum message size of "
                                + context.config.maxMessageBytes() + " bytes";
                    }
                }
                case "BODY" -> {
                    String body = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
                        return "501 5.5.4 BODY must be 7BIT or 8BITMIME";
                    }
                }
                case "AUTH" -> {
                    // RFC 4954 5: the submitter's identity; this gateway does not pass it on
                }
                default -> {
                    return "555 5.5.4 unsupported MAIL parameter " + EnvelopeSyntax.printable(keyword);
                }
            }
        }
        return null;
    }
}
