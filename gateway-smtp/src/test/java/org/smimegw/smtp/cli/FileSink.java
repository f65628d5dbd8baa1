package org.smimegw.smtp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * An upstream MTA for large messages: an SMTP server on a free loopback port that streams each message it accepts
 * into a file of its own, so that no test holds hundreds of megabytes in memory.
 */
final class FileSink implements AutoCloseable {
    /** One accepted message: its envelope and where its bytes are. */
    record Delivery(String sender, List<String> recipients, Path file) {
    }

    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final SMTPServer server;

    FileSink(Path directory) {
        server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("sink.test")
                .insertReceivedHeaders(false)
                .maxMessageSize(Integer.MAX_VALUE)
                .messageHandlerFactory(context -> new MessageHandler() {
                    private String sender;
                    private final List<String> recipients = new ArrayList<>();

                    @Override
                    public void from(String from) {
                        sender = from;
                    }

                    @Override
                    public void recipient(String recipient) {
                        recipients.add(recipient);
                    }

                    @Override
                    public String data(InputStream data) throws IOException {
                        Path file = Files.createTempFile(directory, "delivered-", ".eml");
                        try (OutputStream out = Files.newOutputStream(file)) {
                            data.transferTo(out);
                        }
                        deliveries.add(new Delivery(sender, List.copyOf(recipients), file));
                        return null;
                    }

                    @Override
                    public void done() {
                    }
                })
                .build();
        server.start();
    }

    int port() {
        return server.getPortAllocated();
    }

    /** The next accepted message; fails when none arrives within the time. */
    Delivery next(long timeout, TimeUnit unit) throws InterruptedException {
        Delivery delivery = deliveries.poll(timeout, unit);
        if (delivery == null) {
            throw new AssertionError("nothing was delivered within " + unit.toSeconds(timeout) + " s");
        }
        return delivery;
    }

    @Override
    public void close() {
        server.stop();
    }
}
