package org.smimegw.smtp.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * Plain sockets towards the relays with Nagle's algorithm off ({@code TCP_NODELAY}): an SMTP command is sent at once
 * instead of waiting for the ACK of the previous one, which a peer may delay by tens of milliseconds. Angus Mail takes
 * it as {@code mail.smtp.socketFactory} and connects the unconnected socket itself, with its own time limit; STARTTLS
 * is layered on top as before. Stateless and thread-safe.
 */
final class NoDelaySockets extends SocketFactory {
    static final NoDelaySockets INSTANCE = new NoDelaySockets();

    private NoDelaySockets() {
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new Socket(address, port, localAddress, localPort));
    }

    private static Socket connected(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }
}
