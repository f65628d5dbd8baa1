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
 * copies nothing. Each knows the {@link SpoolArea} it came from, where what is made from it is spooled too. Up to
 * 2 GiB. Thread-safe.
 */
public final class Bytes {
    /** Writes and reads are cut into pieces this size: the JDK's AES and digests are fastest on ≤ 16 KB. */
    static final int CHUNK = 16 * 1024;

    public static final Bytes EMPTY = new Bytes(ByteBuffer.allocate(0), SpoolArea.DEFAULT);

    /** A window for reading mapped content; never handed out beyond one call (visitors must not keep it). */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[CHUNK]);

    /** Position 0, limit = length; never changed after construction (only absolute reads are used). */
    private final ByteBuffer buffer;
    private final SpoolArea area;

    private Bytes(ByteBuffer buffer, SpoolArea area) {
        this.buffer = buffer;
        this.area = area;
    }

    /** These bytes, without a copy: the array must not be changed afterwards. In {@link SpoolArea#DEFAULT}. */
    public static Bytes of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    /** Bytes {@code [from, to)} of the array, without a copy: the array must not be changed afterwards. */
    public static Bytes of(byte[] bytes, int from, int to) {
        return heap(SpoolArea.DEFAULT, bytes, from, to);
    }

    /** Heap bytes of a spool in {@code area}. */
    static Bytes heap(SpoolArea area, byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        return new Bytes(ByteBuffer.wrap(bytes, from, to - from).slice(), area);
    }

    /** A mapped spool file of {@code area}: read-only, position 0, never changed afterwards. */
    static Bytes mapped(SpoolArea area, ByteBuffer buffer) {
        return new Bytes(buffer, area);
    }

    /** Where these bytes were spooled, and where what is made from them is spooled. */
    public SpoolArea spoolArea() {
        return area;
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
        return new Bytes(buffer.slice(from, to - from), area);
    }

    /** Bytes from {@code from} to the end, sharing this storage. */
    public Bytes slice(int from) {
        return slice(from, length());
    }

    /** The index of the first CR LF at or after {@code from}, or -1. */
    public int indexOfCrlf(int from) {
        int last = length() - 1;
        for (int i = indexOf((byte) '\r', from); i >= 0 && i < last; i = indexOf((byte) '\r', i + 1)) {
            if (buffer.get(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first occurrence of {@code b} at or after {@code from}, or -1. */
    public int indexOf(byte b, int from) {
        int length = length();
        int start = Math.max(from, 0);
        if (buffer.hasArray()) {
            byte[] array = buffer.array();
            int base = buffer.arrayOffset();
            for (int i = base + start, end = base + length; i < end; i++) {
                if (array[i] == b) {
                    return i - base;
                }
            }
            return -1;
        }
        // a mapped buffer is read through a heap window: most searches end within a line, so it starts small
        byte[] window = SCRATCH.get();
        int size = 128;
        for (int pos = start; pos < length; pos += size, size = Math.min(size * 2, window.length)) {
            int n = Math.min(size, length - pos);
            buffer.get(pos, window, 0, n);
            for (int i = 0; i < n; i++) {
                if (window[i] == b) {
                    return pos + i;
                }
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
        for (int i = indexOf(pattern[0], from); i >= 0 && i <= last; i = indexOf(pattern[0], i + 1)) {
            if (startsWith(pattern, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Receives consecutive pieces of the content, in order. */
    @FunctionalInterface
    public interface ChunkVisitor {
        /** @return false to stop */
        boolean visit(byte[] array, int offset, int length);
    }

    /**
     * Hands the content to the visitor piece by piece, as arrays: the fast way to scan it all. Heap content comes
     * in one piece without a copy; mapped content in copies of at most 16 KB.
     *
     * @return false when the visitor stopped early
     */
    public boolean forEachChunk(ChunkVisitor visitor) {
        int length = length();
        if (buffer.hasArray()) {
            return visitor.visit(buffer.array(), buffer.arrayOffset(), length);
        }
        // its own window: a visitor may search these bytes meanwhile
        byte[] window = new byte[Math.min(CHUNK, length)];
        for (int pos = 0; pos < length; pos += window.length) {
            int n = Math.min(window.length, length - pos);
            buffer.get(pos, window, 0, n);
            if (!visitor.visit(window, 0, n)) {
                return false;
            }
        }
        return true;
    }

    /** Whether any byte is above 127 (the content is not 7-bit). */
    public boolean hasEightBitBytes() {
        return !forEachChunk((array, offset, length) -> {
            for (int i = offset, end = offset + length; i < end; i++) {
                if (array[i] < 0) {
                    return false;
                }
            }
            return true;
        });
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
