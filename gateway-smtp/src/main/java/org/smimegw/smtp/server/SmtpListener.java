package org.smimegw.smtp.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.smtp.config.ConfigException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * One SMTP listener (outbound or inbound): accepts messages and hands each to an {@link ArrivalHandler}, replying
 * {@code 250 2.0.0 queued as <id>} only after the handler returned. Built on SubEthaSMTP for connections, threads,
 * timeouts and STARTTLS, with this gateway's own commands (relay control, AUTH, SIZE, address syntax, the DATA
 * checks against SMTP smuggling, the {@code Received} header).
 *
 * <p>Call order: {@link #start} once, then {@link #port} and finally {@link #stop} (or {@link #close}). A stopped
 * listener cannot be started again. Thread-safe.
 */
public final class SmtpListener implements AutoCloseable {
    /** The grace {@link #close} gives sessions inside DATA. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);
    /** After the grace, closed sessions still get this long to wind down before their threads are interrupted. */
    private static final long WIND_DOWN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final ListenerConfig config;
    private final ArrivalHandler handler;
    private final Clock clock;
    private final SpoolArea spool;
    private final Object lock = new Object();
    private SMTPServer server;
    private GatedServerSocket socket;
    private SessionExecutor executor;
    private ListenerContext context;
    private boolean started;
    private boolean stopped;

    /**
     * @param clock gives {@link Arrival#receivedAt} and the time zone of the {@code Received} date
     * @param spool where received contents are spooled (ADR 10)
     */
    public SmtpListener(ListenerConfig config, ArrivalHandler handler, Clock clock, SpoolArea spool) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.spool = Objects.requireNonNull(spool, "spool");
    }

    /**
     * Reads the AUTH users file and the TLS files, binds the listen address and starts accepting.
     *
     * @throws ConfigException when the users file or a TLS file is missing or bad (naming the key, file and line)
     * @throws UncheckedIOException when the address cannot be bound
     * @throws IllegalStateException when called twice
     */
    public void start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("the " + config.direction().word() + " listener was started already");
            }
            AuthUsers users = config.settings().authUsersFile().map(AuthUsers::load).orElse(null);
            SSLContext tls = config.tls() ? PemTls.context(config.tlsCertificate().get(), config.tlsKey().get())
                    : null;
            context = new ListenerContext(config, handler, clock, spool, users, tls != null);
            executor = new SessionExecutor("smtp-" + config.direction().word());
            SMTPServer.Builder builder = SMTPServer.port(config.listen().port())
                    .bindAddress(bindAddress())
                    .hostName(config.hostname())
                    .softwareName("ready")
                    .messageHandlerFactory(messageContext -> new Transaction())
                    .executorService(executor)
                    .sessionHandler(context)
                    .insertReceivedHeaders(false)
                    .maxConnections(config.settings().maxConnections())
                    .connectionTimeoutMs((int) Math.min(Integer.MAX_VALUE, config.settings().timeout().toMillis()))
                    .maxRecipients(config.settings().maxRecipients())
                    .maxMessageSize((int) Math.min(Integer.MAX_VALUE, config.maxMessageBytes()))
                    .serverThreadName("smtp-" + config.direction().word() + "-accept")
                    .serverSocketFactory(() -> {
                        socket = new GatedServerSocket();
                        return socket;
                    });
            if (tls != null) {
                builder.enableTLS(true).startTlsSocketFactory(PemTls.socketCreator(tls));
            }
            server = builder.build();
            SubEthaCommands.install(server, verbs(context));
            try {
                server.start();
            } catch (RuntimeException e) {
                executor.shutdownNow();
                closeQuietly(socket);
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new UncheckedIOException("cannot listen on " + config.listen() + " ("
                        + config.direction().word() + "): " + cause.getMessage(),
                        cause instanceof IOException io ? io : new IOException(cause));
            }
            started = true;
            LOG.info("{} listener on {} port {}{}{}", config.direction().word(), config.listen().host(), port(),
                    tls != null ? (config.settings().tlsRequired() ? ", TLS required" : ", STARTTLS") : "",
                    users != null ? ", AUTH for " + users.size() + " users" : "");
        }
    }

    /** The port actually bound; with port 0 in the configuration, the one the system chose. */
    public int port() {
        synchronized (lock) {
            if (!started) {
                throw new IllegalStateException("the " + config.direction().word() + " listener is not started");
            }
            return server.getPortAllocated();
        }
    }

    public ListenerConfig config() {
        return config;
    }

    /**
     * Stops gracefully: closes the listening socket first (no new connections), refuses new MAIL and DATA, lets
     * sessions inside DATA finish (their handler call and reply) for up to {@code grace}, then closes every
     * connection. Session threads still busy half a second after that are interrupted. Returns when done;
     * does nothing when not started or already stopped.
     */
    public void stop(Duration grace) {
        long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
        synchronized (lock) {
            if (!started || stopped) {
                return;
            }
            stopped = true;
        }
        context.beginStopping();
        try {
            socket.refuseNewConnections();
        } catch (IOException e) {
            LOG.warn("{} listener: closing the listening socket failed: {}", config.direction().word(),
                    e.getMessage());
        }
        boolean interrupted = false;
        try {
            if (!context.awaitNoData(deadline)) {
                LOG.warn("{} listener: {} sessions still inside DATA after the grace of {}; closing them",
                        config.direction().word(), context.insideData(), grace);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        executor.limitAwait(Math.max(deadline - System.nanoTime(), 0) + WIND_DOWN_NANOS);
        server.stop();
        if (!executor.isTerminated()) {
            LOG.warn("{} listener: interrupting session threads that did not end", config.direction().word());
            executor.shutdownNow();
        }
        LOG.info("{} listener on {} stopped", config.direction().word(), config.listen());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stop} with {@link #DEFAULT_GRACE}. */
    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }

    private static void closeQuietly(GatedServerSocket unbound) {
        if (unbound != null) {
            try {
                unbound.close();
            } catch (IOException e) {
                // it never listened
            }
        }
    }

    private InetAddress bindAddress() {
        String host = config.listen().host();
        byte[] literal = IpLiterals.parse(host);
        if (literal != null) {
            return IpLiterals.address(literal);
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException(config.direction().word() + ".listen: cannot resolve host " + host);
        }
    }

    /** This gateway's commands: every verb SubEthaSMTP knows, and no other. */
    private static List<SmtpVerb> verbs(ListenerContext context) {
        List<SmtpVerb> verbs = new ArrayList<>(List.of(new HelloCommand(context, true),
                new HelloCommand(context, false), new MailCommand(context), new RcptCommand(context),
                new DataCommand(context), new AuthCommand(context), new StartTlsCommand(context),
                new QuitCommand(context)));
        verbs.addAll(List.of(FixedReplyCommand.all()));
        return verbs;
    }
}
