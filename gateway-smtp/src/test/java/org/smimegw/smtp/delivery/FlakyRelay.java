package org.smimegw.smtp.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A relay on a dynamic loopback port that drops connections the way real servers do after a message: it closes the
 * connection without a word (an idle or per-session limit), or answers the second MAIL of a session with 421 and
 * closes. Sessions are served one after another; counts sessions and accepted messages.
 */
final class FlakyRelay implements AutoCloseable {
    enum Mode { CLOSE_AFTER_EACH_MESSAGE, SAY_421_TO_THE_SECOND_MAIL }

    private final ServerSocket server;
    private final Mode mode;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();

    FlakyRelay(Mode mode) throws IOException {
        this.mode = mode;
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "flaky-relay");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int sessions() {
        return sessions.get();
    }

    /** Messages answered with 250 after DATA. */
    int messages() {
        return messages.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                sessions.incrementAndGet();
                session(socket);
            } catch (IOException e) {
                // closed by the test, or the client left
            }
        }
    }

    private void session(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.ISO_8859_1));
        OutputStream out = socket.getOutputStream();
        reply(out, "220 flaky.test ESMTP");
        int mails = 0;
        String line;
        while ((line = in.readLine()) != null) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (verb) {
                case "EHLO" -> reply(out, "250 flaky.test");
                case "MAIL" -> {
                    mails++;
                    if (mode == Mode.SAY_421_TO_THE_SECOND_MAIL && mails == 2) {
                        reply(out, "421 4.4.2 flaky.test closing, too long idle");
                        return;
                    }
                    reply(out, "250 ok");
                }
                case "DATA" -> {
                    reply(out, "354 go ahead");
                    while (!".".equals(in.readLine())) {
                        // the message itself does not matter here
                    }
                    messages.incrementAndGet();
                    reply(out, "250 2.0.0 accepted");
                    if (mode == Mode.CLOSE_AFTER_EACH_MESSAGE) {
                        return;
                    }
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "250 ok");
            }
        }
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
