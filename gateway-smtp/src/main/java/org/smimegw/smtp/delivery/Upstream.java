package org.smimegw.smtp.delivery;

import java.util.List;

import org.smimegw.core.mime.Bytes;

/**
 * Hands one message to an upstream relay over SMTP. The delivery workers call it; tests substitute it. Never throws
 * for anything the relay or the network does: every failure is a {@link RecipientOutcome}. Thread-safe; concurrent
 * calls use different connections (an implementation may keep a connection open for a later call).
 */
public interface Upstream {

    /**
     * @param sender the envelope sender, empty for the null sender ({@code MAIL FROM:<>})
     * @param recipients at least one
     * @param content the message exactly as queued: sent byte for byte (after SMTP dot-stuffing)
     */
    RelayResult deliver(RelayTarget relay, String sender, List<String> recipients, Bytes content);
}
