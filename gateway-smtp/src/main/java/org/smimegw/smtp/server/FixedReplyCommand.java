package org.smimegw.smtp.server;

import java.io.IOException;

import org.subethamail.smtp.server.Session;

/** Commands with one fixed answer: NOOP, HELP, VRFY, EXPN, BDAT; RSET also ends the mail transaction. */
final class FixedReplyCommand extends SmtpVerb {
    private final String reply;
    private final boolean resets;

    private FixedReplyCommand(String name, String reply, boolean resets) {
        super(name);
        this.reply = reply;
        this.resets = resets;
    }

    static FixedReplyCommand[] all() {
        return new FixedReplyCommand[] {
            new FixedReplyCommand("RSET", "250 2.0.0 ok", true),
            new FixedReplyCommand("NOOP", "250 2.0.0 ok", false),
            new FixedReplyCommand("HELP", "214 2.0.0 see RFC 5321", false),
            new FixedReplyCommand("VRFY", "502 5.5.1 VRFY not supported", false),
            new FixedReplyCommand("EXPN", "502 5.5.1 EXPN not supported", false),
            // CHUNKING is not offered: BDAT content would escape the bare CR/LF checks of DATA
            new FixedReplyCommand("BDAT", "502 5.5.1 BDAT not supported", false),
        };
    }

    @Override
    void run(String argument, Session session) throws IOException {
        if (resets) {
            session.resetMailTransaction();
        }
        session.sendResponse(reply);
    }
}
