package org.smimegw.smtp;

import org.smimegw.core.outbound.OutboundResult;
import org.smimegw.smtp.server.SmtpRefusal;

/**
 * The one place where an outbound refusal becomes an SMTP reply; the listener and {@code process} both ask here,
 * so they answer alike. A policy refusal is {@code 550 5.7.1 <reason>} (docs/design.md §6.1); a message over an input
 * limit is {@code 554 5.6.0 message refused: <limit>} (RFC 3463: a media error, not a security one). Stateless.
 */
public final class OutboundReplies {
    private OutboundReplies() {
    }

    public static SmtpRefusal refusal(OutboundResult.Refused refused) {
        return switch (refused.cause()) {
            case POLICY -> new SmtpRefusal(550, "5.7.1", refused.reason());
            case LIMIT -> new SmtpRefusal(554, "5.6.0", "message refused: " + refused.reason());
        };
    }
}
