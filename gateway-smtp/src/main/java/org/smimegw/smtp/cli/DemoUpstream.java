package org.smimegw.smtp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The demo's stand-in for the MTA and the helpdesk: an SMTP server on a free loopback port that keeps every message
 * the relay delivers to it, so the demo can show what went out.
 */
final class DemoUpstream implements AutoCloseable {

    /** One delivered message: its envelope and bytes. */
    record Delivery(String sender, List<String> recipients, byte[] content) {
    }

    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final SMTPServer server;

    DemoUpstream() {
        server = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("upstream.demo")
                .insertReceivedHeaders(false)
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
                        deliveries.add(new Delivery(sender, List.copyOf(recipients), data.readAllBytes()));
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

    /** The next delivered message, or a failure naming what did not arrive. */
    Delivery next(String what, Duration timeout) throws InterruptedException {
        Delivery delivery = deliveries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (delivery == null) {
            throw new CliFailure("demo: " + what + " was not delivered within " + timeout.toSeconds()
                    + " s; see './smime-gateway queue list' in the demo directory");
        }
        return delivery;
    }

    @Override
    public void close() {
        server.stop();
    }
}
