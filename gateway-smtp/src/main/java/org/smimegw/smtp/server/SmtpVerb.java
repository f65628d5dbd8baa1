package org.smimegw.smtp.server;

import java.io.IOException;

import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.Session;

/**
 * One SMTP command of this gateway, replacing SubEthaSMTP's own. SubEthaSMTP looks commands up by their first four
 * letters, so {@code DATAX} would reach DATA and {@code MAILFROM:} MAIL; the verb is checked exactly here.
 */
abstract class SmtpVerb implements Command {
    private final String name;

    SmtpVerb(String name) {
        this.name = name;
    }

    @Override
    public final void execute(String line, Session session) throws IOException, DropConnectionException {
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        if (!verb.equalsIgnoreCase(name)) {
            session.sendResponse("500 5.5.2 command not recognized");
            return;
        }
        run(space < 0 ? "" : line.substring(space + 1), session);
    }

    /** @param argument the text after the verb and its space, possibly empty */
    abstract void run(String argument, Session session) throws IOException, DropConnectionException;

    @Override
    public HelpMessage getHelp() {
        return new HelpMessage(name, "see RFC 5321");
    }

    @Override
    public String getName() {
        return name;
    }
}
