package org.smimegw.smtp.server;

import java.io.IOException;

import org.subethamail.smtp.server.Session;

/** QUIT: {@code 221}, then the connection closes. */
final class QuitCommand extends SmtpVerb {
    private final ListenerContext context;

    QuitCommand(ListenerContext context) {
        super("QUIT");
        this.context = context;
    }

    @Override
    void run(String argument, Session session) throws IOException {
        session.sendResponse("221 2.0.0 " + context.config.hostname() + " closing connection");
        session.quit();
    }
}
