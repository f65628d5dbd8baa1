package org.smimegw.smtp.delivery;

import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLException;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Reads Angus Mail's exceptions as per-recipient outcomes. With {@code mail.smtp.sendpartial} the transport sends to
 * the recipients it could, then throws: each refused RCPT is an {@link SMTPAddressFailedException} in the
 * {@code getNextException} chain with its own reply; the top exception is an {@link SMTPSendFailedException} for
 * the command that failed ({@code MAIL FROM}, {@code DATA}, the final {@code .}), or for {@code .} with 250 when
 * only some RCPTs were refused.
 */
final class AngusOutcomes {
    private AngusOutcomes() {
    }

    /** Every recipient gets the same outcome. */
    static List<RecipientOutcome> all(List<String> recipients, Reply reply) {
        return recipients.stream().map(r -> RecipientOutcome.of(r, reply)).toList();
    }

    /** Outcomes after {@code sendMessage} threw. */
    static List<RecipientOutcome> afterSend(RelayTarget relay, List<String> recipients, MessagingException e) {
        if (!(e instanceof SendFailedException)) {
            // the connection broke or timed out in the middle: nobody can be sure of anything
            return all(recipients, Reply.local(problem(relay, e)));
        }
        Map<String, Reply> refusedAtRcpt = new HashMap<>();
        for (Exception next = e; next != null;
                next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException refused) {
                refusedAtRcpt.put(refused.getAddress().getAddress(), rcptReply(refused));
            }
        }
        Reply forTheRest;
        if (e instanceof SMTPSendFailedException failed) {
            forTheRest = Reply.fromRelay(failed.getReturnCode(), failed.getMessage());
        } else {
            // all RCPTs refused ("Invalid Addresses"): the chain names each; this is for one it missed
            forTheRest = Reply.local("no reply for this recipient from " + relay.address() + ": " + e.getMessage());
        }
        List<RecipientOutcome> outcomes = new ArrayList<>();
        for (String recipient : recipients) {
            Reply reply = refusedAtRcpt.get(recipient);
            outcomes.add(RecipientOutcome.of(recipient, reply != null ? reply : forTheRest));
        }
        return outcomes;
    }

    /**
     * A refused RCPT. RFC 5321 4.5.3.1.10: 552 to RCPT ("too many recipients", as some servers still send) is to be
     * treated as the temporary 452.
     */
    private static Reply rcptReply(SMTPAddressFailedException refused) {
        int code = refused.getReturnCode();
        String line = refused.getMessage();
        if (code == 552) {
            return Reply.fromRelay(452, "452 " + line);
        }
        if (code < 100 || code > 599) {
            return Reply.local("unexpected reply to RCPT: " + line);
        }
        return Reply.fromRelay(code, line);
    }

    static InternetAddress[] addresses(List<String> recipients) {
        InternetAddress[] addresses = new InternetAddress[recipients.size()];
        for (int i = 0; i < addresses.length; i++) {
            // setAddress, not the parsing constructor: the envelope address is used as it was received
            addresses[i] = new InternetAddress();
            addresses[i].setAddress(recipients.get(i));
        }
        return addresses;
    }

    /** Why a connection (or a session) to the relay failed, in words that name the relay. */
    static String problem(RelayTarget relay, Exception e) {
        String where = relay.address().toString();
        String top = String.valueOf(e.getMessage());
        Throwable root = root(e);
        String cause = root == e ? "" : ": " + root.getClass().getSimpleName() + ": " + root.getMessage();
        if (top.toLowerCase(Locale.ROOT).contains("starttls is required")) {
            return where + " does not offer STARTTLS, and TLS is required for this relay ("
                    + relay.tls().word() + "); not delivered";
        }
        if (has(e, SSLException.class) && has(e, CertificateException.class)) {
            return "TLS with " + where + " failed: certificate not accepted (the relay's certificate must chain to "
                    + "the JDK trust store and name " + relay.address().host() + ")" + cause;
        }
        if (has(e, SSLException.class)) {
            return "TLS with " + where + " failed" + cause;
        }
        if (e instanceof MailConnectException) {
            return "cannot connect to " + where + cause;
        }
        if (has(e, SocketTimeoutException.class)) {
            return "timeout talking to " + where + cause;
        }
        return "delivery to " + where + " failed: " + top + cause;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
