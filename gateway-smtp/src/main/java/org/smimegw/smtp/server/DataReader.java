package org.smimegw.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.Spool;
import org.smimegw.core.mime.SpoolArea;

/**
 * Reads the DATA section of one message from the session's input, in one pass: finds its end, removes the dot
 * stuffing, checks line ends and counts the size.
 * <ul>
 * <li>The end is only {@code CRLF . CRLF} (the data's first line counts as following a CRLF). {@code LF . LF},
 * {@code CR . CR}, {@code CRLF . LF}, {@code LF . CRLF} and the like are data, so a smuggled second message after
 * them stays inside this one.</li>
 * <li>A bare CR (not followed by LF) or bare LF (not preceded by CR) anywhere marks the message
 * {@link Outcome#BARE_LINE_END}: it is read to its end and discarded (RFC 5321 2.3.8; SMTP smuggling).</li>
 * <li>Beyond {@code maxBytes} of unstuffed content it is {@link Outcome#TOO_LARGE}: read to the end, nothing more
 * kept, so no more than {@code maxBytes} is ever buffered.</li>
 * </ul>
 * The input must support mark/reset (the session's is a {@code BufferedInputStream}): it is read in blocks and
 * rewound to just after the terminating dot line, so pipelined commands behind it stay for the session. Not
 * thread-safe; one instance per DATA command.
 */
final class DataReader {
    enum Outcome { COMPLETE, BARE_LINE_END, TOO_LARGE }

    /** What was read: the content only for {@link Outcome#COMPLETE}; {@code size} counts every content byte. */
    record Result(Outcome outcome, Bytes content, long size) {
    }

    private static final int BLOCK = 8192;

    private final long maxBytes;
    /** Where the content goes (ADR 10); null once it is known to be refused. */
    private Spool spool;
    private final byte[] staged = new byte[BLOCK];
    private int stagedLength;
    private long size;
    private boolean bare;
    private boolean atLineStart = true;
    private boolean previousCr;
    /** 0: nothing pending; 1: a dot at the start of a line; 2: dot and CR at the start of a line. */
    private int dotState;

    private DataReader(long maxBytes, SpoolArea area) {
        this.maxBytes = Math.min(maxBytes, Integer.MAX_VALUE - 16);
        this.spool = area.open();
    }

    /** @param area where the content is spooled */
    static Result read(InputStream in, long maxBytes, SpoolArea area) throws IOException {
        DataReader reader = new DataReader(maxBytes, area);
        try {
            return reader.readFrom(in);
        } finally {
            reader.discardSpool();
        }
    }

    private Result readFrom(InputStream in) throws IOException {
        boolean rewindable = in.markSupported();
        int block = rewindable ? BLOCK : 1;
        byte[] chunk = new byte[block];
        while (true) {
            if (rewindable) {
                in.mark(block);
            }
            int n = in.read(chunk, 0, block);
            if (n < 0) {
                throw new EOFException("connection closed inside DATA");
            }
            for (int i = 0; i < n; i++) {
                if (accept(chunk[i])) {
                    if (i + 1 < n) {
                        in.reset();
                        skipFully(in, i + 1);
                    }
                    return result();
                }
            }
        }
    }

    /** Takes one byte; true when it completed the terminating {@code CRLF . CRLF}. */
    private boolean accept(byte b) throws IOException {
        if (dotState == 1) {
            dotState = 0;
            if (b == '\r') {
                dotState = 2;
                return false;
            }
            // the dot was stuffing (RFC 5321 4.5.2): dropped
            content(b);
            return false;
        }
        if (dotState == 2) {
            dotState = 0;
            if (b == '\n') {
                return true;
            }
            // ".<CR>x" at a line start: the dot was stuffing, the CR is bare
            content((byte) '\r');
            content(b);
            return false;
        }
        if (atLineStart && b == '.') {
            dotState = 1;
            return false;
        }
        content(b);
        return false;
    }

    private void content(byte b) throws IOException {
        if (previousCr != (b == '\n')) {
            bare = true;
        }
        atLineStart = previousCr && b == '\n';
        previousCr = b == '\r';
        size++;
        if (size > maxBytes || bare) {
            discardSpool();
            return;
        }
        if (stagedLength == staged.length) {
            spool.write(staged, 0, stagedLength);
            stagedLength = 0;
        }
        staged[stagedLength++] = b;
    }

    private Result result() throws IOException {
        if (bare || previousCr) {
            return new Result(Outcome.BARE_LINE_END, null, size);
        }
        if (size > maxBytes) {
            return new Result(Outcome.TOO_LARGE, null, size);
        }
        spool.write(staged, 0, stagedLength);
        Bytes content = spool.toBytes();
        spool = null;
        return new Result(Outcome.COMPLETE, content, size);
    }

    /** Drops what was spooled of a message that will be refused (or was read to the end already). */
    private void discardSpool() {
        if (spool != null) {
            spool.discard();
            spool = null;
        }
    }

    private static void skipFully(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed inside DATA");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }
}
