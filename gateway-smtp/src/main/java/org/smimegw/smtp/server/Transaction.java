package org.smimegw.smtp.server;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.subethamail.smtp.MessageHandler;

/**
 * The envelope of one mail transaction, from MAIL to the end of DATA or RSET. SubEthaSMTP creates and discards it
 * with the transaction; this gateway's own commands fill it, so its callbacks are not used.
 */
final class Transaction implements MessageHandler {
    String sender = "";
    final List<String> recipients = new ArrayList<>();

    @Override
    public void from(String from) {
        // MAIL is handled by MailCommand
    }

    @Override
    public void recipient(String recipient) {
        // RCPT is handled by RcptCommand
    }

    @Override
    public String data(InputStream data) {
        throw new UnsupportedOperationException("DATA is handled by DataCommand");
    }

    @Override
    public void done() {
        // nothing to release: the content lives only inside DataCommand
    }
}
