package org.smimegw.core.smime;

import java.util.List;

/** The SMTP envelope of a message: the reverse path (empty for the null sender) and the forward paths. */
public record Envelope(String sender, List<String> recipients) {
    public Envelope {
        recipients = List.copyOf(recipients);
    }
}
