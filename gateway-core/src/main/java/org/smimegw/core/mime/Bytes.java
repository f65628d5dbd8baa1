package org.smimegw.core.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An immutable sequence of bytes: a message, a MIME entity or a part of one. Small contents live on the heap; a
 * {@link Spool} that outgrew its memory limit yields one mapped from its file, so a large message never sits in
 * a {@code byte[]} or on the heap at all. Slices share their parent's storage, so cutting a message into parts
 * copies nothing. Up to 2 GiB. Thread-safe.
 */
public final class Bytes {
    /** Writes and reads are cut into pieces this size: the JDK's AES and digests are fastest on ≤ 16 KB. */
    static final int CHUNK = 16 * 1024;

    public static final Bytes EMPTY = new Bytes(ByteBuffer.allocate(0));

    /** Position 0, limit = length; never changed after construction (only absolute reads are used). */
    private final ByteBuffer buffer;

    private Bytes(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** These bytes, without a copy: the array must not be changed afterwards. */
    public static Bytes of(byte[] bytes) {
        return new Bytes(ByteBuffer.wrap(bytes));
    }

    /** Bytes {@code [from, to)} of the array, without a copy: the array must not be changed afterwards. */
    public static Bytes of(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        return new Bytes(ByteBuffer.wrap(bytes, from, to - from).slice());
    }

    /** A buffer from {@link Spool}: read-only, position 0, never changed afterwards. */
    static Bytes wrap(ByteBuffer buffer) {
        return new Bytes(buffer);
    }

    public int length() {
        return buffer.limit();
    }

    public boolean isEmpty() {
        return length() == 0;
    }

    public byte get(int index) {
        return buffer.get(index);
    }

    /** Bytes {@code [from, to)}, sharing this storage. */
    public Bytes slice(int from, int to) {
        Objects.checkFromToIndex(from, to, length());
        if (from == 0 && to == length()) {
            return this;
        }
        return new Bytes(buffer.slice(from, to - from));
    }

    /** Bytes from {@code from} to the end, sharing this storage. */
    public Bytes slice(int from) {
        return slice(from, length());
    }

    /** The index of the first CR LF at or after {@code from}, or -1. */
    public int indexOfCrlf(int from) {
        int last = length() - 1;
        for (int i = Math.max(from, 0); i < last; i++) {
            if (buffer.get(i) == '\r' && buffer.get(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first occurrence of {@code b} at or after {@code from}, or -1. */
    public int indexOf(byte b, int from) {
        int length = length();
        for (int i = Math.max(from, 0); i < length; i++) {
            if (buffer.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first occurrence of {@code pattern} at or after {@code from}, or -1. */
    public int indexOf(byte[] pattern, int from) {
        if (pattern.length == 0) {
            return Math.min(Math.max(from, 0), length());
        }
        int last = length() - pattern.length;
        byte first = pattern[0];
        outer:
        for (int i = Math.max(from, 0); i <= last; i++) {
            if (buffer.get(i) != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (buffer.get(i + j) != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Whether the bytes at {@code at} are {@code prefix}. */
    public boolean startsWith(byte[] prefix, int at) {
        if (at < 0 || at + prefix.length > length()) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (buffer.get(at + k) != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /** Whether these bytes equal {@code other}. */
    public boolean contentEquals(byte[] other) {
        return other.length == length() && startsWith(other, 0);
    }

    /** Bytes {@code [from, to)} as ISO-8859-1 text, one char per byte: for header lines, never for bodies. */
    public String latin1(int from, int to) {
        Objects.checkFromToIndex(from, to, length());
        byte[] copy = new byte[to - from];
        buffer.get(from, copy);
        return new String(copy, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Copies the bytes to {@code out} in pieces of at most 16 KB. */
    public void writeTo(OutputStream out) throws IOException {
        int length = length();
        if (buffer.hasArray()) {
            byte[] array = buffer.array();
            int base = buffer.arrayOffset();
            for (int pos = 0; pos < length; pos += CHUNK) {
                out.write(array, base + pos, Math.min(CHUNK, length - pos));
            }
            return;
        }
        byte[] chunk = new byte[Math.min(CHUNK, length)];
        for (int pos = 0; pos < length; pos += CHUNK) {
            int n = Math.min(CHUNK, length - pos);
            buffer.get(pos, chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** A stream over the bytes; each call gives an independent stream. */
    public InputStream openStream() {
        return new BytesInputStream(buffer.duplicate());
    }

    /** A copy on the heap: only for small contents (header blocks, CMS structures) and tests. */
    public byte[] toByteArray() {
        byte[] copy = new byte[length()];
        buffer.get(0, copy);
        return copy;
    }

    /** Never the content: a log line or a failed assertion must not carry message text. */
    @Override
    public String toString() {
        return "Bytes[length=" + length() + (buffer.isDirect() ? ", mapped" : "") + "]";
    }

    private static final class BytesInputStream extends InputStream {
        private final ByteBuffer buffer;
        private int mark;

        BytesInputStream(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, target.length);
            if (length == 0) {
                return 0;
            }
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(length, buffer.remaining());
            buffer.get(target, offset, n);
            return n;
        }

        @Override
        public long skip(long n) {
            int skipped = (int) Math.max(0, Math.min(n, buffer.remaining()));
            buffer.position(buffer.position() + skipped);
            return skipped;
        }

        @Override
        public int available() {
            return buffer.remaining();
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readLimit) {
            mark = buffer.position();
        }

        @Override
        public synchronized void reset() {
            buffer.position(mark);
        }
    }
}
