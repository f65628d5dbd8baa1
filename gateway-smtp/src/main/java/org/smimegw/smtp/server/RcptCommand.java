package org.smimegw.smtp.server;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.mime.MailboxSyntax;
import org.subethamail.smtp.server.Session;

/**
 * RCPT TO: adds a recipient. Refuses bad address syntax, recipients beyond {@code smtp.max.recipients} (452, so the
 * client sends the rest later) and, unless the client is in {@code smtp.allowed.clients} or authenticated, every
 * recipient: nothing can be relayed by a stranger.
 */
final class RcptCommand extends SmtpVerb {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);

    private final ListenerContext context;

    RcptCommand(ListenerContext context) {
        super("RCPT");
        this.context = context;
    }

    @Override
    void run(String argument, Session session) throws IOException {
        Transaction transaction = ListenerContext.transaction(session);
        if (transaction == null) {
            session.sendResponse("503 5.5.1 need MAIL command");
            return;
        }
        EnvelopeSyntax.PathArgument path = EnvelopeSyntax.parse(argument, "TO:");
        if (path == null) {
            session.sendResponse("501 5.5.4 syntax: RCPT TO:<address>");
            return;
        }
        if (transaction.recipients.size() >= context.config.settings().maxRecipients()) {
            session.sendResponse("452 4.5.3 too many recipients");
            return;
        }
        String recipient = path.address();
        String problem = recipient.isEmpty() ? "is empty" : MailboxSyntax.problem(recipient);
        if (problem != null) {
            session.sendResponse("553 5.1.3 recipient address <" + EnvelopeSyntax.printable(recipient) + "> "
                    + problem);
            return;
        }
        if (!path.parameters().isEmpty()) {
            session.sendResponse("555 5.5.4 unsupported RCPT parameter "
                    + EnvelopeSyntax.printable(EnvelopeSyntax.keyword(path.parameters().get(0))));
            return;
        }
        if (!context.mayRelay(session)) {
            LOG.info("{} relaying denied: client={} sender=<{}> recipient=<{}>", context.config.direction().word(),
                    ListenerContext.client(session).getHostAddress(), transaction.sender, recipient);
            session.sendResponse("550 5.7.1 relaying denied for <" + recipient + ">");
            return;
        }
        transaction.recipients.add(recipient);
        session.sendResponse("250 2.1.5 recipient <" + recipient + "> ok");
    }
}
