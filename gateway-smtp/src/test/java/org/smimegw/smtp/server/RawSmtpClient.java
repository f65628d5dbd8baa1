package org.smimegw.smtp.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A byte-exact SMTP client for tests: it writes exactly what it is given (so pipelining, bare LF and smuggling
 * sequences reach the server unchanged) and reads replies line by line. Every read is bounded by a socket timeout.
 */
final class RawSmtpClient implements AutoCloseable {
    private static final int TIMEOUT_MS = 15_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final String greeting;

    private RawSmtpClient(Socket socket) throws IOException {
        use(socket);
        this.greeting = readReply();
    }

    static RawSmtpClient connect(int port) throws IOException {
        return connect(InetAddress.getLoopbackAddress(), port);
    }

    static RawSmtpClient connect(InetAddress address, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(address, port), TIMEOUT_MS);
        return new RawSmtpClient(socket);
    }

    /** Connects, reads the greeting, sends EHLO and reads its reply. */
    static RawSmtpClient ehlo(int port) throws IOException {
        RawSmtpClient client = connect(port);
        client.command("EHLO client.test");
        return client;
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        s.setSoTimeout(TIMEOUT_MS);
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    String greeting() {
        return greeting;
    }

    void soTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Sends one command line (CRLF added) and returns its whole reply. */
    String command(String line) throws IOException {
        line(line);
        return readReply();
    }

    void line(String line) throws IOException {
        write(line + "\r\n");
    }

    /** UTF-8, which is ASCII for everything below 0x80: control characters and CR/LF go out as given. */
    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A whole reply: its lines joined with LF, CRLF removed. Fails on EOF. */
    String readReply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed; reply so far: " + reply);
            }
            if (reply.length() > 0) {
                reply.append('\n');
            }
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    /** One line without its CRLF, or null at EOF. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    /** True when the server closed the connection (EOF or reset) before sending anything more. */
    boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    /** Everything the server still sends until it closes the connection; fails when it does not close. */
    byte[] readUntilClosed() throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        try {
            in.transferTo(rest);
        } catch (java.net.SocketException e) {
            // reset by the server: closed as well
        }
        return rest.toByteArray();
    }

    /** STARTTLS and the handshake, trusting what {@code context} trusts. */
    void startTls(SSLContext context) throws IOException {
        String reply = command("STARTTLS");
        if (!reply.startsWith("220 ")) {
            throw new IOException("STARTTLS refused: " + reply);
        }
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket,
                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        use(ssl);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
