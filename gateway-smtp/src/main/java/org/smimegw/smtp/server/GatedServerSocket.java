package org.smimegw.smtp.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/**
 * The listening socket, closable ahead of SubEthaSMTP's stop. {@code SMTPServer.stop()} closes the listening
 * socket and every session at once; a graceful stop first closes only the listening socket (no new connections),
 * lets the sessions inside DATA finish, and then calls {@code stop()}. Meanwhile SubEthaSMTP's accept thread,
 * which would log an error and retry every second on a closed socket, waits here for the real close.
 */
final class GatedServerSocket extends ServerSocket {
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean refusing;

    GatedServerSocket() throws IOException {
        super();
    }

    /** No new connections from now on; SubEthaSMTP's own {@link #close} comes later. */
    void refuseNewConnections() throws IOException {
        refusing = true;
        super.close();
    }

    /** A {@link ReplySocket} with {@code TCP_NODELAY}. */
    @Override
    public Socket accept() throws IOException {
        try {
            ReplySocket socket = new ReplySocket();
            implAccept(socket);
            socket.setTcpNoDelay(true);
            return socket;
        } catch (IOException e) {
            if (refusing) {
                try {
                    closed.await();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        super.close();
    }
}
