package org.smimegw.smtp.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected SMTP sessions to the relays that are not in use, so that the next message to the same relay skips the
 * connect, greeting, EHLO and STARTTLS. A worker {@link #take}s a connection (or gets none and opens its own), uses
 * it for one transaction and {@link #giveBack}s it when the transaction ended cleanly. A connection is handed out
 * only after the relay answered {@code RSET} (Angus Mail's {@code isConnected} with {@code mail.smtp.userset}), so a
 * connection the relay closed, or answered with 421, is dropped rather than used. Connections idle for longer than
 * the idle limit are closed with QUIT by a background thread; so is each connection after
 * {@link #MAX_MESSAGES} transactions. Thread-safe.
 */
final class UpstreamConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnections.class);
    /** Transactions per connection before it is closed and a new one opened (Postfix's reuse count limit). */
    static final int MAX_MESSAGES = 100;
    /** Idle connections kept per relay; more are closed when given back. */
    static final int MAX_IDLE_PER_RELAY = 16;

    /** One connection and how it has been used. */
    static final class Connection {
        final SMTPTransport transport;
        final boolean tls;
        int messages;
        long idleSince;

        Connection(SMTPTransport transport, boolean tls) {
            this.transport = transport;
            this.tls = tls;
        }
    }

    private final Duration idleLimit;
    private final LongSupplier nanoClock;
    private final Map<RelayTarget, Deque<Connection>> idle = new HashMap<>();
    private ScheduledExecutorService reaper;
    private boolean closed;

    UpstreamConnections(Duration idleLimit) {
        this(idleLimit, System::nanoTime);
    }

    UpstreamConnections(Duration idleLimit, LongSupplier nanoClock) {
        this.idleLimit = idleLimit;
        this.nanoClock = nanoClock;
    }

    /** A connection to the relay that answered RSET just now, or null when there is none. */
    Connection take(RelayTarget relay) {
        while (true) {
            Connection connection;
            synchronized (this) {
                Deque<Connection> connections = idle.get(relay);
                connection = connections == null ? null : connections.pollLast();
            }
            if (connection == null) {
                return null;
            }
            if (expired(connection, nanoClock.getAsLong())) {
                quit(connection);
            } else if (connection.transport.isConnected()) {
                // with mail.smtp.userset this sent RSET and read a 250: a clean transaction state
                return connection;
            } else {
                LOG.debug("connection to {} was closed by the relay; opening another", relay.address());
            }
        }
    }

    /** Keeps a connection whose last transaction ended cleanly, for the next message to the same relay. */
    void giveBack(RelayTarget relay, Connection connection) {
        connection.messages++;
        connection.idleSince = nanoClock.getAsLong();
        boolean kept = false;
        if (connection.messages < MAX_MESSAGES) {
            synchronized (this) {
                if (!closed) {
                    Deque<Connection> connections = idle.computeIfAbsent(relay, r -> new ArrayDeque<>());
                    if (connections.size() < MAX_IDLE_PER_RELAY) {
                        connections.addLast(connection);
                        startReaper();
                        kept = true;
                    }
                }
            }
        }
        if (!kept) {
            quit(connection);
        }
    }

    /** Closes the connections idle for longer than the idle limit. */
    void closeIdle() {
        long now = nanoClock.getAsLong();
        List<Connection> expired = new ArrayList<>();
        synchronized (this) {
            for (Deque<Connection> connections : idle.values()) {
                for (Iterator<Connection> i = connections.iterator(); i.hasNext();) {
                    Connection connection = i.next();
                    if (expired(connection, now)) {
                        i.remove();
                        expired.add(connection);
                    }
                }
            }
        }
        expired.forEach(UpstreamConnections::quit);
    }

    /** How many connections wait for a next message. */
    synchronized int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    private boolean expired(Connection connection, long now) {
        return now - connection.idleSince > idleLimit.toNanos();
    }

    private void startReaper() {
        if (reaper == null) {
            reaper = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "upstream-idle-closer");
                thread.setDaemon(true);
                return thread;
            });
            long period = Math.max(idleLimit.toMillis() / 2, 100);
            reaper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Says QUIT on every idle connection; connections in use are closed when given back. */
    @Override
    public void close() {
        List<Connection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
            if (reaper != null) {
                reaper.shutdownNow();
            }
        }
        all.forEach(UpstreamConnections::quit);
    }

    static void quit(Connection connection) {
        try {
            connection.transport.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("closing a connection to a relay: {}", e.toString());
        }
    }
}
