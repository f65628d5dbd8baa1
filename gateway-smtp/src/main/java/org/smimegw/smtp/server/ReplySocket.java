package org.smimegw.smtp.server;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.BooleanSupplier;

/**
 * An accepted client connection whose replies to a pipelined group of commands leave in one write (RFC 2920 §3.1).
 * While a command runs under {@link #holdWhile}, a flush is held back as long as the client has already sent more
 * input: that client is pipelining and reads the replies later, so they collect here and go out together with the
 * first reply after which nothing more is waiting. A client that waits for each reply never has input waiting, so its
 * replies are never held. Otherwise (and under TLS, whose socket only writes through this one) the
 * stream writes straight through. Nagle's algorithm is off ({@code TCP_NODELAY}), so a reply that is flushed is sent
 * at once rather than after the client's delayed ACK. Used by one session thread at a time.
 */
final class ReplySocket extends Socket {
    private HeldReplies replies;

    ReplySocket() {
        super();
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (replies == null) {
            replies = new HeldReplies(super.getOutputStream());
        }
        return replies;
    }

    /** Sends what is held, if anything, before the connection closes (a QUIT reply may be among it). */
    @Override
    public synchronized void close() throws IOException {
        try {
            if (replies != null && !isClosed()) {
                replies.moreInput = null;
                replies.flush();
            }
        } catch (IOException e) {
            // the peer is gone: nothing held can reach it
        } finally {
            super.close();
        }
    }

    /**
     * From now on, a flush is held back while {@code moreInput} says the client has sent more; {@code null} ends that,
     * and what is still held goes out with the next write or flush.
     */
    void holdWhile(BooleanSupplier moreInput) throws IOException {
        ((HeldReplies) getOutputStream()).moreInput = moreInput;
    }

    /** The socket's output with held-back flushes. */
    static final class HeldReplies extends FilterOutputStream {
        private final ByteArrayOutputStream held = new ByteArrayOutputStream(512);
        /** Set while a command runs; null otherwise. */
        volatile BooleanSupplier moreInput;

        HeldReplies(OutputStream socketOutput) {
            super(socketOutput);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (moreInput == null) {
                flushHeld();
                out.write(bytes, offset, length);
            } else {
                held.write(bytes, offset, length);
            }
        }

        @Override
        public void flush() throws IOException {
            BooleanSupplier pending = moreInput;
            if (pending != null && pending.getAsBoolean()) {
                return;
            }
            flushHeld();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            try {
                flushHeld();
                out.flush();
            } finally {
                out.close();
            }
        }

        private void flushHeld() throws IOException {
            if (held.size() > 0) {
                held.writeTo(out);
                held.reset();
            }
        }
    }
}
