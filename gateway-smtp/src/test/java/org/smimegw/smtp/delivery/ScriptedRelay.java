package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * A fake upstream relay on a dynamic loopback port (SubEthaSMTP), for the replies a real server will not give on
 * demand: a {@link Script} may refuse any RCPT or the DATA with any code. It records each transaction's envelope,
 * the bytes after DATA exactly as received (no Received header added), the EHLO name and whether STARTTLS was used.
 */
public final class ScriptedRelay implements AutoCloseable {

    /** Decides the replies; throw {@link RejectException} to refuse. Called on the server's threads. */
    public interface Script {
        default void sender(String address) throws RejectException {
        }

        default void recipient(String address) throws RejectException {
        }

        default void data(byte[] content) throws RejectException {
        }
    }

    /** One message the relay accepted. */
    public record Received(String helo, String sender, List<String> recipients, byte[] content, boolean tls) {
    }

    public static final Script ACCEPT_ALL = new Script() {
    };

    private final SMTPServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<String> senders = Collections.synchronizedList(new ArrayList<>());

    private ScriptedRelay(Script script, SSLContext tls) {
        SMTPServer.Builder builder = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("relay.test")
                .insertReceivedHeaders(false)
                .messageHandlerFactory(context -> new Handler(context, script));
        if (tls != null) {
            builder.enableTLS().startTlsSocketFactory(tls);
        }
        server = builder.build();
        server.start();
    }

    public static ScriptedRelay start(Script script) {
        return new ScriptedRelay(script, null);
    }

    /** Offers STARTTLS with the given server context. */
    public static ScriptedRelay startWithStartTls(Script script, SSLContext tls) {
        return new ScriptedRelay(script, tls);
    }

    public int port() {
        return server.getPortAllocated();
    }

    /** The next message accepted, waiting up to {@code timeout}. */
    public Received next(Duration timeout) throws InterruptedException {
        Received next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(next, "no message reached the relay within " + timeout);
        return next;
    }

    /** The next message accepted within {@code timeout}, or null when none came. */
    public Received poll(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A message accepted, if one is there now. */
    public Received poll() {
        return received.poll();
    }

    /** Every MAIL FROM address seen, also of refused transactions; {@code ""} for {@code MAIL FROM:<>}. */
    public List<String> senders() {
        return List.copyOf(senders);
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Handler implements MessageHandler {
        private final MessageContext context;
        private final Script script;
        private final List<String> recipients = new ArrayList<>();
        private String sender;

        Handler(MessageContext context, Script script) {
            this.context = context;
            this.script = script;
        }

        @Override
        public void from(String from) throws RejectException {
            senders.add(from);
            script.sender(from);
            sender = from;
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            script.recipient(recipient);
            recipients.add(recipient);
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            byte[] content = data.readAllBytes();
            script.data(content);
            boolean tls = context instanceof Session session && session.isTLSStarted();
            received.add(new Received(context.getHelo().orElse(null), sender, List.copyOf(recipients), content,
                    tls));
            return null;
        }

        @Override
        public void done() {
        }
    }
}
