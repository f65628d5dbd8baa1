package org.smimegw.smtp.sink;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One message the {@link SmtpSink} accepted.
 *
 * @param sender the envelope sender as the client gave it
 * @param headers the top-level header block (read from the first 64 KB of the message), without the blank line
 * @param file where the whole message was written, or null when the sink keeps no files
 */
public record Delivery(String sender, List<String> recipients, String headers, Path file) {

    /** The value of the first top-level header field of this name (case-insensitive), trimmed; empty when absent. */
    public Optional<String> header(String name) {
        for (String line : headers.split("\r?\n")) {
            if (line.length() > name.length() && line.charAt(name.length()) == ':'
                    && line.regionMatches(true, 0, name, 0, name.length())) {
                String value = line.substring(name.length() + 1).trim();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The last RCPT TO address, or the empty string when there was none. */
    public String lastRecipient() {
        return recipients.isEmpty() ? "" : recipients.get(recipients.size() - 1);
    }
}
