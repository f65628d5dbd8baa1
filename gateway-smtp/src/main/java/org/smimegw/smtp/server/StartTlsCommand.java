package org.smimegw.smtp.server;

import java.io.IOException;

import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.server.Session;

/**
 * STARTTLS (RFC 3207). Commands pipelined behind it are refused and the connection closed (CVE-2011-0411: they
 * would otherwise be read as if they came inside TLS). A failed handshake closes the connection instead of
 * continuing on a broken stream, as SubEthaSMTP's own command does. Afterwards the session starts over.
 */
final class StartTlsCommand extends SmtpVerb {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);

    private final ListenerContext context;

    StartTlsCommand(ListenerContext context) {
        super("STARTTLS");
        this.context = context;
    }

    @Override
    void run(String argument, Session session) throws IOException, DropConnectionException {
        if (!context.tls) {
            session.sendResponse("502 5.5.1 STARTTLS not supported");
            return;
        }
        if (!argument.isBlank()) {
            session.sendResponse("501 5.5.4 syntax: STARTTLS takes no arguments");
            return;
        }
        if (session.isTLSStarted()) {
            session.sendResponse("503 5.5.1 TLS already active");
            return;
        }
        if (session.getRawInput().available() > 0) {
            throw new DropConnectionException(554, "5.5.1 improper command pipelining after STARTTLS");
        }
        session.sendResponse("220 2.0.0 ready to start TLS");
        SSLSocket socket;
        try {
            socket = session.getServer().createSSLSocket(session.getSocket());
            socket.startHandshake();
        } catch (IOException e) {
            LOG.info("{} client={} STARTTLS handshake failed: {}", context.config.direction().word(),
                    ListenerContext.client(session).getHostAddress(), e.getMessage());
            session.quit();
            return;
        }
        session.setSocket(socket);
        session.resetSmtpProtocol();
        session.setTlsStarted(true);
        context.state(session).reset();
    }
}
