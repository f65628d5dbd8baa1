package org.smimegw.core.mime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;

/**
 * A message (or a MIME entity) as header fields and body bytes, in canonical CRLF form. The gateway edits
 * headers and wraps bodies at this level, so that what it does not touch stays byte for byte as received.
 * Immutable: every change returns a new instance.
 */
public final class RawMessage {
    private static final byte[] CRLF = {'\r', '\n'};

    private final List<HeaderField> headers;
    private final Bytes body;

    private RawMessage(List<HeaderField> headers, Bytes body) {
        this.headers = List.copyOf(headers);
        this.body = body;
    }

    public static RawMessage of(List<HeaderField> headers, Bytes body) {
        return new RawMessage(headers, body);
    }

    public static RawMessage of(List<HeaderField> headers, byte[] body) {
        return new RawMessage(headers, Bytes.of(body));
    }

    /** Parses a message; bare LF and bare CR become CRLF first. A message without a blank line is all headers. */
    public static RawMessage parse(byte[] bytes) {
        return parse(Bytes.of(bytes));
    }

    /**
     * Parses a message; bare LF and bare CR become CRLF first. A message without a blank line is all headers. The
     * body shares the storage of {@code bytes} when they were canonical already.
     */
    public static RawMessage parse(Bytes bytes) {
        return parse(bytes, Integer.MAX_VALUE);
    }

    /**
     * As {@link #parse(Bytes)}, but the fields after the first {@code maxFields} stay together as one last
     * {@link HeaderField} holding their raw text (several fields, CRLF-separated), which is written back byte for
     * byte. A hostile header section of millions of fields then costs its size in memory, not an object per
     * field; a message with more than {@code maxFields} fields is over the limit anyway (ADR 13).
     */
    public static RawMessage parse(Bytes bytes, int maxFields) {
        Bytes in = LineEndings.toCrlf(bytes);
        Fields fields = new Fields(in, maxFields);
        HeaderSection.End end = HeaderSection.scan(in, in.length(), fields);
        return new RawMessage(fields.all(), in.slice(end.body()));
    }

    /** Collects the fields {@link HeaderSection} finds; past {@code maxFields}, the rest as one lump. */
    private static final class Fields implements HeaderSection.Lines {
        private final Bytes in;
        private final int maxFields;
        private final List<HeaderField> fields = new ArrayList<>();
        private int start = -1;
        private int end;

        Fields(Bytes in, int maxFields) {
            this.in = in;
            this.maxFields = maxFields;
        }

        @Override
        public boolean line(int lineStart, int lineEnd, boolean startsField) {
            if (start < 0) {
                start = lineStart;
            } else if (startsField && fields.size() < maxFields) {
                fields.add(field());
                start = lineStart;
            }
            end = lineEnd;
            return true;
        }

        List<HeaderField> all() {
            if (start >= 0) {
                fields.add(field());
            }
            return fields;
        }

        /** The field from {@code start} to {@code end}: the input is canonical, so its folds are CRLF. */
        private HeaderField field() {
            return HeaderField.parse(in.latin1(start, end));
        }
    }

    public List<HeaderField> headers() {
        return headers;
    }

    public Bytes body() {
        return body;
    }

    /** The unfolded value of the first field with this name. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.is(name)).map(HeaderField::value).findFirst();
    }

    /** The parsed first Content-Type, or empty when it is absent or cannot be parsed (then it counts as plain text). */
    public Optional<ContentType> contentType() {
        Optional<String> value = header("Content-Type");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ContentType(value.get()));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The first Content-Transfer-Encoding in lower case; {@code 7bit}, the default of RFC 2045 §6.1, when it is
     * absent or empty.
     */
    public String transferEncoding() {
        String encoding = header("Content-Transfer-Encoding").orElse("").trim().toLowerCase(Locale.ROOT);
        return encoding.isEmpty() ? "7bit" : encoding;
    }

    /** The unfolded values of every field with this name, in order. */
    public List<String> headerValues(String name) {
        return headers.stream().filter(h -> h.is(name)).map(HeaderField::value).toList();
    }

    public RawMessage withoutHeaders(Predicate<HeaderField> drop) {
        return new RawMessage(headers.stream().filter(drop.negate()).toList(), body);
    }

    /**
     * Hands every field to {@code action} one by one, the members of a lump (see {@link #parse(Bytes, int)})
     * included; members are parsed as they come and kept by no one.
     */
    public void forEachSingleField(Consumer<HeaderField> action) {
        for (HeaderField field : headers) {
            if (field.fieldCount() > 1) {
                field.forEachField(member -> action.accept(HeaderField.parse(member)));
            } else {
                action.accept(field);
            }
        }
    }

    /**
     * The message with every field (the members of a lump one by one) replaced by what {@code edit} returns for it:
     * the field itself, another one, or {@code null} to remove it. A lump stays one field, without the removed
     * members. This same instance when nothing changed.
     */
    public RawMessage withFieldsEdited(UnaryOperator<HeaderField> edit) {
        List<HeaderField> edited = new ArrayList<>(headers.size());
        boolean changed = false;
        for (HeaderField field : headers) {
            HeaderField result = field.fieldCount() > 1 ? editedLump(field, edit) : edit.apply(field);
            changed |= result != field;
            if (result != null) {
                edited.add(result);
            }
        }
        return changed ? new RawMessage(edited, body) : this;
    }

    /** A lump with each member edited; {@code null} when no member is left, the lump itself when none changed. */
    private static HeaderField editedLump(HeaderField lump, UnaryOperator<HeaderField> edit) {
        StringBuilder kept = new StringBuilder(lump.raw().length());
        boolean[] changed = {false};
        lump.forEachField(raw -> {
            HeaderField member = HeaderField.parse(raw);
            HeaderField result = edit.apply(member);
            changed[0] |= result != member;
            if (result != null) {
                kept.append(kept.length() == 0 ? "" : "\r\n").append(result.raw());
            }
        });
        if (!changed[0]) {
            return lump;
        }
        return kept.length() == 0 ? null : HeaderField.parse(kept.toString());
    }

    /** The same message with these fields placed before all others (where trace and result headers go). */
    public RawMessage withHeadersFirst(List<HeaderField> first) {
        List<HeaderField> all = new ArrayList<>(first);
        all.addAll(headers);
        return new RawMessage(all, body);
    }

    /** The MIME entity of this message: its Content-* fields and its body. */
    public RawMessage entity() {
        return new RawMessage(headers.stream().filter(HeaderField::isContentField).toList(), body);
    }

    /** The message fields (everything but Content-*), with {@code entity}'s fields and body put in their place. */
    public RawMessage withEntity(RawMessage entity) {
        List<HeaderField> all = new ArrayList<>(headers.stream().filter(h -> !h.isContentField()).toList());
        all.addAll(entity.headers);
        return new RawMessage(all, entity.body);
    }

    public void writeTo(OutputStream out) throws IOException {
        writeHeaders(out);
        body.writeTo(out);
    }

    /** The header fields and the blank line after them. */
    public void writeHeaders(OutputStream out) throws IOException {
        for (HeaderField h : headers) {
            out.write(h.raw().getBytes(StandardCharsets.ISO_8859_1));
            out.write(CRLF);
        }
        out.write(CRLF);
    }

    /** The whole message, spooled (ADR 10): on the heap when small, in a mapped file when large. */
    public Bytes toBytes() {
        try {
            return body.spoolArea().write(this::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
