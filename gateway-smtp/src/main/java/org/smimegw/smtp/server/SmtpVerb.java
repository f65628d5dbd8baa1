package org.smimegw.smtp.server;

import java.io.IOException;

import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.server.Session;

/**
 * One SMTP command of this gateway, replacing SubEthaSMTP's own (see {@link SubEthaCommands}). SubEthaSMTP looks
 * commands up by their first four letters, so {@code DATAX} would reach DATA and {@code MAILFROM:} MAIL; the verb
 * is checked exactly here.
 */
abstract class SmtpVerb {
    private final String name;

    SmtpVerb(String name) {
        this.name = name;
    }

    /** @param line the whole command line, verb included, as the client sent it */
    final void execute(String line, Session session) throws IOException, DropConnectionException {
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

    /** The verb in upper case, e.g. {@code MAIL}. */
    final String name() {
        return name;
    }
}
