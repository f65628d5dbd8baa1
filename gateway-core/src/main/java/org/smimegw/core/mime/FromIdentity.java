package org.smimegw.core.mime;

import java.util.List;
import java.util.Optional;

/**
 * The one {@code From} address a signer must carry (or a signing key must belong to), or why there is none:
 * the message must have exactly one {@code From} header holding exactly one well-formed mailbox (docs/design.md §4.4).
 * The header is read as UTF-8 (RFC 6532) and strictly ({@link MailboxList}). Display name and {@code Sender}
 * never count. Immutable.
 *
 * @param address the address as written (without display name or comments), or {@code null}
 * @param problem why there is no single address, or {@code null}
 */
public record FromIdentity(String address, String problem) {
    public static final String NOT_ONE_ADDRESS = "From does not hold exactly one address";

    public static FromIdentity of(RawMessage message) {
        List<HeaderField> fields = message.headers().stream().filter(h -> h.is("From")).toList();
        if (fields.size() != 1) {
            return problem(fields.isEmpty() ? "message has no From header"
                    : "message has " + fields.size() + " From headers");
        }
        Optional<String> value = fields.get(0).utf8Value();
        if (value.isEmpty()) {
            return problem("From header is not valid UTF-8");
        }
        Optional<List<String>> addresses = MailboxList.parse(value.get());
        if (addresses.isEmpty()) {
            return problem(NOT_ONE_ADDRESS);
        }
        int count = addresses.get().size();
        if (count != 1) {
            return problem(count == 0 ? "From header has no address" : "From header has " + count + " addresses");
        }
        return new FromIdentity(addresses.get().get(0), null);
    }

    private static FromIdentity problem(String why) {
        return new FromIdentity(null, why);
    }

    public boolean present() {
        return address != null;
    }
}
