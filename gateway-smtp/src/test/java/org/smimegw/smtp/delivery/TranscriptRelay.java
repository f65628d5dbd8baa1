package org.smimegw.smtp.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The smallest SMTP server that says yes to everything and keeps what a real server parses away: the client's
 * command lines as sent ({@code MAIL FROM:<>}, {@code BODY=8BITMIME}) and the bytes after DATA exactly as they came
 * over the wire, dot-stuffing and terminator included. One session, one message, on a dynamic loopback port;
 * offers 8BITMIME.
 */
final class TranscriptRelay implements AutoCloseable {
    private static final byte[] TERMINATOR = "\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<byte[]> data = new CompletableFuture<>();
    private final CountDownLatch done = new CountDownLatch(1);

    TranscriptRelay() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "transcript-relay");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The command lines of the session (not the message), once the client has said QUIT. */
    List<String> commands(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the session did not end within " + timeout + ": " + commands);
        }
        return List.copyOf(commands);
    }

    /** What followed the 354 reply, up to and including the CRLF.CRLF that ended it. */
    byte[] data(Duration timeout) throws Exception {
        return data.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void serve() {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            reply(out, "220 transcript.test ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, "250-transcript.test\r\n250 8BITMIME");
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        data.complete(readData(in));
                        reply(out, "250 2.0.0 accepted");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 ok");
                }
            }
        } catch (IOException e) {
            commands.add("! " + e);
            data.completeExceptionally(e);
        } finally {
            data.completeExceptionally(new IOException("the session ended without DATA"));
            done.countDown();
        }
    }

    /** Byte by byte up to the first CRLF.CRLF; the 354 ends with CRLF, so data that is just ".\r\n" ends too. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] last = {0, 0, 0, '\r', '\n'};
        int b;
        while ((b = in.read()) >= 0) {
            bytes.write(b);
            System.arraycopy(last, 1, last, 0, last.length - 1);
            last[last.length - 1] = (byte) b;
            if (Arrays.equals(last, TERMINATOR)) {
                return bytes.toByteArray();
            }
        }
        throw new IOException("connection closed inside DATA");
    }

    /** One command line without its CRLF (or bare LF), read byte by byte so that DATA is read from the socket. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1
                        : line.length();
                return line.substring(0, end);
            }
            line.append((char) b);
        }
        return line.length() == 0 ? null : line.toString();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
