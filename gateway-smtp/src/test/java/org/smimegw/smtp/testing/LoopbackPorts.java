package org.smimegw.smtp.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports on {@value #HOST} for the servers tests start. A port was free a moment ago only: another process may take
 * it before the server binds it, so the harnesses try other ports when a server reports "Address already in use".
 */
public final class LoopbackPorts {
    public static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /** A port that was free for TCP a moment ago. */
    public static int freeTcp() throws IOException {
        return freeTcp(1)[0];
    }

    /** Distinct ports that were free for TCP a moment ago. */
    public static int[] freeTcp(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** A port that was free for both UDP and TCP a moment ago (for a DNS server). */
    public static int freeUdpAndTcp() throws IOException {
        InetAddress host = InetAddress.getByName(HOST);
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, host)) {
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(host, tcp.getLocalPort()))) {
                    return udp.getLocalPort();
                } catch (IOException udpTaken) {
                    // another process has this port for UDP: try the next one
                }
            }
        }
        throw new IOException("no loopback port free for both UDP and TCP");
    }
}
