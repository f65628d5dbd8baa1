package org.smimegw.core.inbound;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;

/**
 * The header fields an RFC 9788 sender protected: those of the Cryptographic Payload's root part whose Content-Type
 * carries {@code hp="clear"} or {@code hp="cipher"} (docs/design.md §12). Only the payload's own header section is
 * read, never a part nested further in. Immutable.
 *
 * @param hp {@code clear} or {@code cipher}, as the sender declared it
 * @param fields the protected fields in order: every field but Content-*, MIME-Version and HP-Outer
 * @param outer the HP-Outer fields: what the sender placed outside, each as {@code Name: value}
 */
record ProtectedHeaders(String hp, List<HeaderField> fields, List<HeaderField> outer) {
    /** RFC 5322 §3.6: the fields a message has at most once. */
    static final Set<String> SINGLE = Set.of("from", "sender", "reply-to", "to", "cc", "bcc", "subject", "date",
            "message-id", "in-reply-to", "references");

    ProtectedHeaders {
        fields = List.copyOf(fields);
        outer = List.copyOf(outer);
    }

    /** The protected fields of a payload, given with its whole header section, if it declares any. */
    static Optional<ProtectedHeaders> of(RawMessage parsed) {
        Optional<String> hp = Optional.ofNullable(MimeParts.parameter(parsed.contentType(), "hp"))
                .filter(value -> value.equals("clear") || value.equals("cipher"));
        if (hp.isEmpty()) {
            return Optional.empty();
        }
        List<HeaderField> fields = new ArrayList<>();
        List<HeaderField> outer = new ArrayList<>();
        parsed.forEachSingleField(field -> {
            if (field.is("HP-Outer")) {
                outer.add(field);
            } else if (!field.isContentField() && !field.is("MIME-Version")) {
                fields.add(field);
            }
        });
        return Optional.of(new ProtectedHeaders(hp.get(), fields, outer));
    }

    /** Why the protected fields cannot be used: a field RFC 5322 allows once is there several times. */
    Optional<String> ambiguity() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (HeaderField field : fields) {
            String name = field.name().toLowerCase(Locale.ROOT);
            if (SINGLE.contains(name)) {
                counts.merge(name, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).findFirst()
                .map(e -> e.getValue() + " protected " + fieldName(e.getKey()) + " fields");
    }

    /** The protected fields with this name. */
    List<HeaderField> named(String name) {
        return fields.stream().filter(field -> field.is(name)).toList();
    }

    private static String fieldName(String lower) {
        return switch (lower) {
            case "message-id" -> "Message-ID";
            case "reply-to" -> "Reply-To";
            case "in-reply-to" -> "In-Reply-To";
            default -> Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
        };
    }
}
