package org.smimegw.core.inbound;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;

/**
 * Puts the header fields an RFC 9788 sender protected in place of the outer ones (docs/design.md §12), so the
 * helpdesk shows the real Subject, From and so on, and says what it did in {@code X-SMIME-Header-Protection}.
 * Stateless.
 *
 * <ul>
 * <li>Only the protected fields of the payload at the end of the opened layers count (see {@link ProtectedHeaders});
 *     they are ignored when its signature does not verify ({@code fail}) or when a field RFC 5322 allows once is
 *     there several times.</li>
 * <li>{@code hp="cipher"} counts only for a message that was decrypted; otherwise it is read as {@code clear}.</li>
 * <li>Each protected field replaces every outer field of its name. An outer field that steers replies
 *     (Reply-To, Sender, ...) with no protected counterpart is dropped, as RFC 9788 §4 says not to use it; other
 *     outer fields stay. Protected fields pass the same filter as the outer ones: nobody brings in our verdict
 *     headers or the helpdesk's control headers this way.</li>
 * <li>The legacy display block ({@code hp-legacy-display="1"}) of a text/plain payload that is the delivered
 *     entity is removed, as RFC 9788 §4.5.3 says a reader should.</li>
 * </ul>
 */
final class ProtectedView {
    /**
     * The fields that decide where a reply goes: an outer one the sender did not protect may have been added in
     * transit to divert replies, so it is dropped. Other unprotected outer fields stay, so that threading and the
     * recipients survive a sender that protects only some fields.
     */
    private static final Set<String> REPLY_STEERING = Set.of("reply-to", "sender", "followup-to",
            "mail-followup-to");
    /** Fields added in transit, never taken from inside. */
    private static final Set<String> TRANSIT = Set.of("received", "return-path", "dkim-signature", "delivered-to",
            "authentication-results", "arc-seal", "arc-message-signature", "arc-authentication-results",
            "archived-at");

    private ProtectedView() {
    }

    /**
     * The message with the protected fields in place, the {@code X-SMIME-Header-Protection} value (null when the
     * payload protected nothing), and notes for the audit log.
     */
    record Applied(RawMessage message, String report, List<String> notes) {
    }

    static Applied apply(RawMessage message, ProtectedHeaders protectedHeaders, boolean decrypted,
            SmimeResult verdict, SpoofedHeaderFilter filter) {
        if (protectedHeaders == null) {
            return new Applied(message, null, List.of());
        }
        Optional<String> ignored = verdict instanceof SmimeResult.Fail
                ? Optional.of("the signature does not verify") : protectedHeaders.ambiguity();
        if (ignored.isPresent()) {
            return new Applied(message, "ignored; reason=" + HeaderText.quoted(ignored.get()),
                    List.of("protected header fields ignored: " + ignored.get()));
        }
        SpoofedHeaderFilter.Stripped stripped = filter.strip(RawMessage.of(protectedHeaders.fields(), Bytes.EMPTY));
        List<HeaderField> fields = stripped.message().headers().stream()
                .filter(field -> !isTransit(field.name())).toList();
        Set<String> names = new LinkedHashSet<>();
        fields.forEach(field -> names.add(field.name().toLowerCase(Locale.ROOT)));

        List<HeaderField> result = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        Set<String> replaced = new LinkedHashSet<>();
        Set<String> dropped = new LinkedHashSet<>();
        for (HeaderField outer : message.headers()) {
            String name = outer.name().toLowerCase(Locale.ROOT);
            if (names.contains(name)) {
                List<HeaderField> inner = fields.stream().filter(field -> field.is(name)).toList();
                if (placed.add(name)) {
                    result.addAll(inner);
                }
                if (inner.stream().noneMatch(field -> field.value().equals(outer.value()))) {
                    replaced.add(outer.name());
                }
            } else if (REPLY_STEERING.contains(name)) {
                dropped.add(outer.name());
            } else {
                result.add(outer);
            }
        }
        fields.stream().filter(field -> !placed.contains(field.name().toLowerCase(Locale.ROOT))).forEach(result::add);
        RawMessage inPlace = RawMessage.of(result, message.body());
        RawMessage applied = withoutLegacyDisplay(inPlace);

        String declared = protectedHeaders.hp();
        String hp = declared.equals("cipher") && decrypted ? "cipher" : "clear";
        StringBuilder report = new StringBuilder(hp);
        if (!declared.equals(hp)) {
            report.append("; declared=").append(declared);
        }
        report.append("; fields=").append(names(fields));
        if (!replaced.isEmpty()) {
            report.append("; replaced=").append(String.join(",", replaced));
        }
        if (!dropped.isEmpty()) {
            report.append("; dropped=").append(String.join(",", dropped));
        }
        if (applied != inPlace) {
            report.append("; legacy-display=removed");
        }
        List<String> notes = new ArrayList<>();
        notes.add("header protection " + hp + (replaced.isEmpty() ? "" : ": replaced " + String.join(",", replaced))
                + (dropped.isEmpty() ? "" : ": dropped unprotected " + String.join(",", dropped)));
        stripped.note().ifPresent(note -> notes.add(note + " from the protected fields"));
        return new Applied(applied, HeaderText.clean(report.toString()), notes);
    }

    private static boolean isTransit(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return TRANSIT.contains(lower) || lower.startsWith("list-");
    }

    private static String names(List<HeaderField> fields) {
        Set<String> names = new LinkedHashSet<>();
        fields.forEach(field -> names.add(field.name()));
        return String.join(",", names);
    }

    /**
     * The message without the legacy display block at the start of its body, when its entity is a text/plain payload
     * marked {@code hp-legacy-display="1"} in an encoding whose lines can be read as they are; else the message.
     */
    private static RawMessage withoutLegacyDisplay(RawMessage message) {
        RawMessage entity = message.entity();
        if (!"1".equals(MimeParts.parameter(entity.contentType(), "hp-legacy-display"))
                || !"text/plain".equals(MimeParts.baseType(entity.contentType()))
                || !Set.of("7bit", "8bit", "binary").contains(entity.transferEncoding())) {
            return message;
        }
        Bytes body = message.body();
        for (int at = 0; at + 1 < body.length(); ) {
            if (body.get(at) == '\r' && body.get(at + 1) == '\n') {
                return RawMessage.of(message.headers(), body.slice(at + 2));
            }
            int end = at;
            while (end + 1 < body.length() && !(body.get(end) == '\r' && body.get(end + 1) == '\n')) {
                end++;
            }
            at = end + 2;
        }
        return message;
    }
}
