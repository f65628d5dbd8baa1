package org.smimegw.core.helpdesk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.smimegw.core.mime.HeaderField;
import org.smimegw.core.mime.RawMessage;

/**
 * The verdict tags of the Subject ({@code inbound.subject.tag*}, docs/design.md §16). Inbound, with tagging on,
 * every tag a sender wrote is removed and ours are put at the front: {@code [encrypted]} when the message was
 * decrypted, then the one for the verdict. Outbound, the tags are removed from the Subject of every reply, whether
 * tagging is on or not, so that a tag never reaches a customer.
 *
 * <p>Tags are looked for in the Subject as a helpdesk shows it ({@link SubjectField}) and as {@link TagRemoval}
 * compares. Adding tags
 * to a Subject that loses none leaves its own text byte for byte. A message with several Subject fields loses the
 * tags in each, but gets none of ours: which one a reader shows is not ours to know. Immutable and thread-safe.
 */
public final class SubjectTags {
    public static final String PASS = "[S/MIME verified]";
    public static final String FAIL = "[S/MIME INVALID]";
    public static final String POLICY = "[S/MIME untrusted]";
    public static final String DECRYPTED = "[encrypted]";
    /** Tagging off (the default), with the default texts, which replies still lose. */
    public static final SubjectTags DEFAULTS = new SubjectTags(false, PASS, FAIL, POLICY, DECRYPTED);

    private static final String SUBJECT = SubjectField.NAME;
    /** The line length RFC 5322 §2.1.1 recommends; a longer first line is folded after the tags. */
    private static final int LINE = 78;

    /** Which verdict tag a message gets: {@code fail} covers {@code permerror}; NONE gets no verdict tag. */
    public enum Verdict { PASS, FAIL, POLICY, NONE }

    /** The message with its Subject tagged, and notes for the audit log about what was done beyond tagging. */
    public record Tagging(RawMessage message, List<String> notes) {
    }

    private final boolean on;
    private final String pass;
    private final String fail;
    private final String policy;
    private final String decrypted;
    private final TagRemoval removal;

    /**
     * @param on whether inbound mail is tagged
     * @throws IllegalArgumentException when a text has a {@link #problem(String)}
     */
    public SubjectTags(boolean on, String pass, String fail, String policy, String decrypted) {
        for (String tag : List.of(pass, fail, policy, decrypted)) {
            problem(tag).ifPresent(problem -> {
                throw new IllegalArgumentException("'" + tag + "' " + problem);
            });
        }
        this.on = on;
        this.pass = pass.trim();
        this.fail = fail.trim();
        this.policy = policy.trim();
        this.decrypted = decrypted.trim();
        this.removal = new TagRemoval(texts());
    }

    /** What is wrong with a tag's text, if anything: it must show something and hold no control character. */
    public static Optional<String> problem(String tag) {
        if (tag.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("holds a control character");
        }
        if (TagRemoval.compared(tag).isEmpty()) {
            return Optional.of("shows nothing: a tag needs visible characters");
        }
        return Optional.empty();
    }

    public boolean on() {
        return on;
    }

    /** Outbound: the message without our tags in any Subject field; the same instance when it had none. */
    public RawMessage untagged(RawMessage message) {
        return SubjectField.without(message, removal).message();
    }

    /**
     * Inbound: the message with the sender's tags removed and ours at the front of the Subject (a Subject field is
     * added when there is none); the message as it is when tagging is off.
     */
    public Tagging tagged(RawMessage message, Verdict verdict, boolean wasDecrypted) {
        if (!on) {
            return new Tagging(message, List.of());
        }
        int[] subjects = {0};
        message.forEachSingleField(field -> subjects[0] += field.is(SUBJECT) ? 1 : 0);
        String tags = String.join(" ", tags(verdict, wasDecrypted));
        boolean tagging = subjects[0] <= 1 && !tags.isEmpty();
        SubjectField.Without untagged = SubjectField.without(message, removal);
        RawMessage result = untagged.message();
        if (tagging) {
            result = result.withFieldsEdited(field -> field.is(SUBJECT) ? prefixed(field, tags) : field);
        }
        if (tagging && subjects[0] == 0) {
            List<HeaderField> fields = new ArrayList<>(result.headers());
            fields.add(SubjectField.encoded(SUBJECT, tags));
            result = RawMessage.of(fields, result.body());
        }
        List<String> notes = new ArrayList<>();
        int removed = untagged.removed();
        if (removed > 0) {
            notes.add("removed " + removed + " tag" + (removed == 1 ? "" : "s") + " from the Subject");
        }
        if (subjects[0] > 1) {
            notes.add("Subject not tagged: " + subjects[0] + " Subject fields");
        }
        return new Tagging(result, List.copyOf(notes));
    }

    private List<String> tags(Verdict verdict, boolean wasDecrypted) {
        List<String> tags = new ArrayList<>(2);
        if (wasDecrypted) {
            tags.add(decrypted);
        }
        switch (verdict) {
            case PASS -> tags.add(pass);
            case FAIL -> tags.add(fail);
            case POLICY -> tags.add(policy);
            case NONE -> { }
        }
        return tags;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubjectTags that && on == that.on && texts().equals(that.texts());
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(on) * 31 + texts().hashCode();
    }

    @Override
    public String toString() {
        return (on ? "on " : "off ") + texts();
    }

    private List<String> texts() {
        return List.of(pass, fail, policy, decrypted);
    }

    /**
     * The field with the tags in front. ASCII tags go before the field's text as it is, on the first line when it
     * stays short, else on a line of their own; other tags make the field decoded, prefixed and encoded again.
     */
    private static HeaderField prefixed(HeaderField field, String tags) {
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(tags)) {
            String text = SubjectField.decoded(field);
            return SubjectField.encoded(field.name(), text.isEmpty() ? tags : tags + " " + text);
        }
        String head = field.name() + ": " + tags;
        if (field.value().isEmpty()) {
            return HeaderField.parse(head);
        }
        String raw = field.raw();
        String text = raw.substring(raw.indexOf(':') + 1).replaceFirst("^[ \t]+", "");
        if (text.startsWith("\r\n")) {
            return HeaderField.parse(head + text);
        }
        int firstLine = text.indexOf("\r\n") < 0 ? text.length() : text.indexOf("\r\n");
        return HeaderField.parse(head + (head.length() + 1 + firstLine <= LINE ? " " : "\r\n ") + text);
    }
}
