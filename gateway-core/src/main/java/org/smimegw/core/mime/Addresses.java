package org.smimegw.core.mime;

import java.util.ArrayList;
import java.util.List;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * Parses address header values (To, Cc, Bcc) into bare addresses, ignoring display names. The From address, which
 * decides whose signature counts, is read strictly by {@link FromIdentity}.
 */
public final class Addresses {
    private Addresses() {
    }

    /** The addr-specs in a header value; groups are flattened. Throws {@link AddressException} when malformed. */
    public static List<String> parse(String headerValue) throws AddressException {
        List<String> result = new ArrayList<>();
        for (InternetAddress address : InternetAddress.parseHeader(headerValue, false)) {
            if (address.isGroup()) {
                for (InternetAddress member : address.getGroup(false)) {
                    result.add(member.getAddress());
                }
            } else if (address.getAddress() != null && !address.getAddress().isBlank()) {
                result.add(address.getAddress());
            }
        }
        return result;
    }

    /** The single From address, or null when there is not exactly one From header with exactly one address. */
    public static String singleFrom(RawMessage message) {
        return FromIdentity.of(message).address();
    }

    /** Every address in To, Cc and Bcc (read as UTF-8), in order; malformed headers are skipped. */
    public static List<String> headerRecipients(RawMessage message) {
        List<String> result = new ArrayList<>();
        for (String header : List.of("To", "Cc", "Bcc")) {
            List<String> values = message.headers().stream().filter(h -> h.is(header))
                    .flatMap(h -> h.utf8Value().stream()).toList();
            for (String value : values) {
                try {
                    parse(value).stream().filter(a -> !result.contains(a)).forEach(result::add);
                } catch (AddressException e) {
                    // an unparsable header contributes no envelope recipient; the caller names none found
                }
            }
        }
        return result;
    }
}
