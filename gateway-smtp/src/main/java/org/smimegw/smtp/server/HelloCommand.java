package org.smimegw.smtp.server;

import java.io.IOException;

import org.subethamail.smtp.server.Session;

/**
 * EHLO and HELO. EHLO advertises exactly what this gateway does: PIPELINING, SIZE, 8BITMIME, ENHANCEDSTATUSCODES,
 * STARTTLS when TLS is configured and not yet active, AUTH PLAIN LOGIN only inside TLS. Not SubEthaSMTP's CHUNKING
 * (BDAT would bypass the DATA checks) nor SMTPUTF8.
 */
final class HelloCommand extends SmtpVerb {
    private final ListenerContext context;
    private final boolean extended;

    HelloCommand(ListenerContext context, boolean extended) {
        super(extended ? "EHLO" : "HELO");
        this.context = context;
        this.extended = extended;
    }

    @Override
    void run(String argument, Session session) throws IOException {
        String helo = argument.strip();
        if (helo.isEmpty()) {
            session.sendResponse("501 5.5.4 syntax: " + name() + " hostname");
            return;
        }
        session.resetMailTransaction();
        session.setHelo(helo);
        context.state(session).extended = extended;
        String hostname = context.config.hostname();
        if (!extended) {
            session.sendResponse("250 " + hostname);
            return;
        }
        StringBuilder reply = new StringBuilder();
        reply.append("250-").append(hostname).append("\r\n");
        reply.append("250-PIPELINING\r\n");
        reply.append("250-SIZE ").append(context.config.maxMessageBytes()).append("\r\n");
        reply.append("250-ENHANCEDSTATUSCODES\r\n");
        if (context.tls && !session.isTLSStarted()) {
            reply.append("250-STARTTLS\r\n");
        }
        if (context.users != null && session.isTLSStarted() && !session.isAuthenticated()) {
            reply.append("250-AUTH PLAIN LOGIN\r\n");
        }
        reply.append("250 8BITMIME");
        session.sendResponse(reply.toString());
    }
}
