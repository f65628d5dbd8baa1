package org.smimegw.smtp.server;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.smimegw.core.mime.SpoolArea;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * What the commands of one listener share: its configuration, handler, clock and spool area, the relay rules, the
 * per-session state, and the count of sessions inside DATA that a graceful stop waits for. Thread-safe.
 */
final class ListenerContext implements SessionHandler {
    final ListenerConfig config;
    final ArrivalHandler handler;
    final Clock clock;
    final SpoolArea spool;
    final ClientNetworks allowedClients;
    /** Null when AUTH is not configured. */
    final AuthUsers users;
    /** Whether STARTTLS is offered. */
    final boolean tls;

    private final Map<Session, SessionState> states = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private boolean stopping;
    private int insideData;

    ListenerContext(ListenerConfig config, ArrivalHandler handler, Clock clock, SpoolArea spool, AuthUsers users,
            boolean tls) {
        this.config = config;
        this.handler = handler;
        this.clock = clock;
        this.spool = spool;
        this.allowedClients = ClientNetworks.parse(config.allowedClients());
        this.users = users;
        this.tls = tls;
    }

    SessionState state(Session session) {
        return states.computeIfAbsent(session, s -> new SessionState());
    }

    /** The open transaction, or null before MAIL. */
    static Transaction transaction(Session session) {
        return session.isMailTransactionInProgress() ? (Transaction) session.getMessageHandler() : null;
    }

    static InetAddress client(Session session) {
        return session.getRemoteAddress().getAddress();
    }

    /** Relaying is allowed from {@code smtp.allowed.clients} and after AUTH; nothing else. */
    boolean mayRelay(Session session) {
        return session.isAuthenticated() || allowedClients.contains(client(session));
    }

    /** Shutting-down reply for MAIL, DATA and new sessions once a stop has begun. */
    String shuttingDown() {
        return "4.3.2 " + config.hostname() + " shutting down, try again later";
    }

    /** A session enters DATA; false once stopping, so no new message starts. */
    boolean enterData() {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            insideData++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void leaveData() {
        lock.lock();
        try {
            insideData--;
            if (insideData == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean stopping() {
        lock.lock();
        try {
            return stopping;
        } finally {
            lock.unlock();
        }
    }

    void beginStopping() {
        lock.lock();
        try {
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no session is inside DATA or the deadline ({@link System#nanoTime}) passes; true when idle. */
    boolean awaitNoData(long deadline) throws InterruptedException {
        lock.lock();
        try {
            while (insideData > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    int insideData() {
        lock.lock();
        try {
            return insideData;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SessionAcceptance accept(Session session) {
        if (stopping()) {
            return SessionAcceptance.failure(421, shuttingDown());
        }
        states.put(session, new SessionState());
        return SessionAcceptance.success();
    }

    @Override
    public void onSessionEnd(Session session) {
        states.remove(session);
    }
}
