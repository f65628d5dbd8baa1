package org.smimegw.smtp.delivery;

import java.util.List;

/**
 * What one connection to a relay achieved.
 *
 * @param outcomes one per recipient tried, in the order given
 * @param tls whether the message went over STARTTLS
 */
public record RelayResult(List<RecipientOutcome> outcomes, boolean tls) {
    public RelayResult {
        outcomes = List.copyOf(outcomes);
    }
}
