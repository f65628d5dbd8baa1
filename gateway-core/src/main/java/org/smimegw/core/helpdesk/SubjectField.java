package org.smimegw.core.helpdesk;

import java.nio.charset.StandardCharsets;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.util.MimeUtil;
import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;

/**
 * The Subject as a reader shows it, and written back: RFC 2047 encoded words decoded leniently (also when they touch
 * other text, as helpdesks decode them), 8-bit text read as UTF-8, folds unfolded; a changed Subject encoded again
 * where it needs it (UTF-8 encoded words, control characters included) and folded (ADR 21). Stateless.
 */
public final class SubjectField {
    public static final String NAME = "Subject";

    private SubjectField() {
    }

    /** The message without some texts in its Subject fields, and how many were removed. */
    public record Without(RawMessage message, int removed) {
    }

    /**
     * Every Subject field (beyond the header-field limit too) without what {@code removal} finds, with the white
     * space tidied; the same message when nothing was found.
     */
    public static Without without(RawMessage message, TagRemoval removal) {
        int[] removed = {0};
        RawMessage result = message.withFieldsEdited(field -> {
            if (!field.is(NAME)) {
                return field;
            }
            TagRemoval.Removed found = removal.remove(decoded(field));
            if (found.count() == 0) {
                return field;
            }
            removed[0] += found.count();
            return encoded(field.name(), found.text());
        });
        return new Without(result, removed[0]);
    }

    /** The text a reader shows: unfolded, 8-bit read as UTF-8, encoded words decoded. */
    public static String decoded(HeaderField field) {
        return DecoderUtil.decodeEncodedWords(field.utf8Value().orElse(field.value()), DecodeMonitor.SILENT);
    }

    /** A field holding this text, in encoded words when it needs them (control characters too), folded. */
    public static HeaderField encoded(String name, String text) {
        int used = name.length() + 2;
        String value = EncoderUtil.hasToBeEncoded(text, used)
                ? EncoderUtil.encodeEncodedWord(text, EncoderUtil.Usage.TEXT_TOKEN, used, StandardCharsets.UTF_8, null)
                : text;
        return HeaderField.parse(name + ": " + MimeUtil.fold(value, used));
    }
}
