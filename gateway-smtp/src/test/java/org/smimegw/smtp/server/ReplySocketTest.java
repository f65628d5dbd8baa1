package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * How replies reach the socket (RFC 2920 §3.1): a pipelined group's replies in one write, a lock-step client's
 * replies one by one, and nothing held when no command runs. The writer is a {@link PrintWriter} that flushes after
 * each reply, as SubEthaSMTP's session writes.
 */
class ReplySocketTest {

    /** Records what reaches the socket, one entry per flush that carried bytes. */
    private static final class Wire extends OutputStream {
        final List<String> flushed = new ArrayList<>();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void flush() {
            if (pending.size() > 0) {
                flushed.add(pending.toString(StandardCharsets.US_ASCII));
                pending.reset();
            }
        }
    }

    @Test
    void repliesToAPipelinedGroupLeaveTogetherWithTheFirstReplyAfterWhichNoInputWaits() throws IOException {
        Wire wire = new Wire();
        ReplySocket.HeldReplies replies = new ReplySocket.HeldReplies(wire);
        PrintWriter writer = new PrintWriter(replies);
        AtomicInteger commandsWaiting = new AtomicInteger(2);
        for (String reply : List.of("250 sender ok", "250 recipient ok", "354 go ahead")) {
            replies.moreInput = () -> commandsWaiting.get() > 0;
            writer.print(reply + "\r\n");
            writer.flush();
            replies.moreInput = null;
            commandsWaiting.decrementAndGet();
        }

        assertEquals(List.of("250 sender ok\r\n250 recipient ok\r\n354 go ahead\r\n"), wire.flushed);
    }

    @Test
    void aClientThatWaitsForEachReplyGetsEachAtOnce() throws IOException {
        Wire wire = new Wire();
        ReplySocket.HeldReplies replies = new ReplySocket.HeldReplies(wire);
        PrintWriter writer = new PrintWriter(replies);
        for (String reply : List.of("250 sender ok", "250 recipient ok")) {
            replies.moreInput = () -> false;
            writer.print(reply + "\r\n");
            writer.flush();
            replies.moreInput = null;
        }

        assertEquals(List.of("250 sender ok\r\n", "250 recipient ok\r\n"), wire.flushed);
    }

    @Test
    void whatIsHeldGoesOutBeforeAnyLaterWriteOrOnClose() throws IOException {
        Wire wire = new Wire();
        ReplySocket.HeldReplies replies = new ReplySocket.HeldReplies(wire);
        PrintWriter writer = new PrintWriter(replies);
        replies.moreInput = () -> true;
        writer.print("250 ok\r\n");
        writer.flush();
        replies.moreInput = null;

        writer.print("500 unrecognised\r\n");
        writer.flush();
        replies.moreInput = () -> true;
        writer.print("221 bye\r\n");
        writer.flush();
        replies.close();

        assertEquals(List.of("250 ok\r\n500 unrecognised\r\n", "221 bye\r\n"), wire.flushed);
    }
}
