package org.smimegw.core.inbound;

import java.util.List;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.smimegw.core.mime.RawMessage;

/**
 * The one {@code From} address a signer must carry, or why there is none: the message must have exactly one
 * {@code From} header with exactly one address. Display name and {@code Sender} never count. Immutable.
 *
 * @param address the address as written (without display name), or {@code null}
 * @param problem why there is no single address, or {@code null}
 */
record FromIdentity(String address, String problem) {

    static FromIdentity of(RawMessage message) {
        List<String> values = message.headerValues("From");
        if (values.size() != 1) {
            return problem(values.isEmpty() ? "message has no From header"
                    : "message has " + values.size() + " From headers");
        }
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(values.get(0), false);
            if (addresses.length != 1) {
                return problem(addresses.length == 0 ? "From header has no address"
                        : "From header has " + addresses.length + " addresses");
            }
            InternetAddress only = addresses[0];
            if (only.isGroup() || only.getAddress() == null || only.getAddress().isBlank()) {
                return problem("From header has no single address");
            }
            return new FromIdentity(only.getAddress().trim(), null);
        } catch (AddressException | RuntimeException e) {
            return problem("From header cannot be parsed");
        }
    }

    private static FromIdentity problem(String why) {
        return new FromIdentity(null, why);
    }

    boolean present() {
        return address != null;
    }
}
