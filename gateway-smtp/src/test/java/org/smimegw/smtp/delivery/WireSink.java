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
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An SMTP server that keeps the bytes after DATA exactly as they came over the wire, dot-stuffing and terminator
 * included, for checks a parsing server would hide. Says yes to everything; one session, one message.
 */
final class WireSink implements AutoCloseable {
    private static final byte[] TERMINATOR = "\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final CompletableFuture<byte[]> data = new CompletableFuture<>();

    WireSink() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "wire-sink");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** What followed the 354 reply, up to and including the CRLF.CRLF that ended it. */
    byte[] data(Duration timeout) throws Exception {
        return data.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void serve() {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            reply(out, "220 wire.test ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, "250-wire.test\r\n250 8BITMIME");
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
            data.completeExceptionally(e);
        } finally {
            data.completeExceptionally(new IOException("the session ended without DATA"));
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
