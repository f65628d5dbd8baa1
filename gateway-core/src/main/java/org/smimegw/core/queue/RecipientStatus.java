package org.smimegw.core.queue;

import java.util.Locale;

/**
 * One recipient of a queued message. {@code PENDING}: not yet accepted by the relay (never tried, or a 4xx).
 * {@code DELIVERED}: the relay accepted it. {@code FAILED}: a 5xx or expiry; it is bounced and never tried again.
 *
 * @param lastReply the relay's last reply for this recipient (code and text), or null before the first attempt
 */
public record RecipientStatus(String address, State state, String lastReply) {

    public enum State {
        PENDING, DELIVERED, FAILED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static RecipientStatus pending(String address) {
        return new RecipientStatus(address, State.PENDING, null);
    }
}
