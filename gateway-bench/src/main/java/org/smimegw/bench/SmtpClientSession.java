package org.smimegw.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP session to a gateway listener, kept open for many messages (RSET, MAIL, RCPT, DATA each time), as a
 * helpdesk or an MTA with connection caching would. Pipelining (RFC 2920), as Postfix does when the server offers
 * it: RSET, MAIL, RCPT and DATA leave in one write and their replies are read after; lock-step: each command waits
 * for its reply. {@link #send} returns the time from writing MAIL FROM to reading the reply to the message's final
 * {@code .}. Not thread-safe: one session per thread.
 */
final class SmtpClientSession implements AutoCloseable {
    private static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int TIMEOUT_MILLIS = 300_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean pipelining;

    /** The reply to DATA's end and how long it took. */
    record Sent(int code, String reply, long nanos) {
        boolean accepted() {
            return code == 250;
        }
    }

    SmtpClientSession(int port, boolean pipelining) throws IOException {
        this.pipelining = pipelining;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        expect(reply(), 220, "greeting");
        command("EHLO bench.example", 250);
    }

    /**
     * Sends one message in the current session.
     *
     * @param message CRLF-terminated lines; dot-stuffed here when a line starts with a dot
     */
    Sent send(String from, String to, byte[] message) throws IOException {
        List<String> commands = List.of("RSET", "MAIL FROM:<" + from + ">", "RCPT TO:<" + to + ">", "DATA");
        List<Integer> expected = List.of(250, 250, 250, 354);
        long start = 0;
        if (pipelining) {
            for (String command : commands) {
                start = command.startsWith("MAIL") ? System.nanoTime() : start;
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            for (int i = 0; i < commands.size(); i++) {
                expect(reply(), expected.get(i), commands.get(i));
            }
        } else {
            for (int i = 0; i < commands.size(); i++) {
                start = i == 1 ? System.nanoTime() : start;
                command(commands.get(i), expected.get(i));
            }
        }
        writeStuffed(message);
        if (message.length < 2 || message[message.length - 2] != '\r' || message[message.length - 1] != '\n') {
            out.write(new byte[] {'\r', '\n'});
        }
        out.write(END_OF_DATA);
        out.flush();
        String reply = reply();
        long nanos = System.nanoTime() - start;
        return new Sent(code(reply), reply, nanos);
    }

    private void writeStuffed(byte[] message) throws IOException {
        int from = 0;
        if (message.length > 0 && message[0] == '.') {
            out.write('.');
        }
        for (int i = 0; i + 2 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '.') {
                out.write(message, from, i + 2 - from);
                out.write('.');
                from = i + 2;
            }
        }
        out.write(message, from, message.length - from);
    }

    private void command(String line, int expected) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(reply(), expected, line);
    }

    private static void expect(String reply, int expected, String after) throws IOException {
        if (code(reply) != expected) {
            throw new IOException("after " + after + " the gateway answered '" + reply + "'");
        }
    }

    private static int code(String reply) {
        try {
            return Integer.parseInt(reply.substring(0, 3));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** A whole reply (every line of a multi-line one), without the final CRLF. */
    private String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = line();
            all.append(all.length() > 0 ? "\n" : "").append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString();
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("the gateway closed the connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reply();
        } catch (IOException e) {
            // the session is over either way
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
