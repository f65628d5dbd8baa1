package org.smimegw.smtp.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.AdminSettings;
import org.smimegw.smtp.config.ConfigException;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The admin HTTP server on {@code admin.listen}: the open routes the caller passes (e.g. {@code /health} and
 * {@code /metrics}, served without a login) and the admin page, which needs a login (docs/admin-page.md). The JDK's
 * built-in HTTP server with a small bounded pool of threads; under overload the accepting thread serves the request
 * itself, which slows down accepting instead of queueing without bound. Start with {@link #start}, stop with
 * {@link #close}. Thread-safe.
 */
public final class AdminServer implements AutoCloseable {
    private static final int THREADS = 4;
    private static final int QUEUED_REQUESTS = 32;
    /** Reading a request (an upload of at most 1 MiB included) and writing a response each get this long. */
    private static final int REQUEST_TIME_LIMIT_SECONDS = 60;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    private AdminServer(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code settings.listen()} (port 0 picks a free port) and starts serving.
     *
     * @param settings the {@code admin.*} settings: address, user, password hash, session timeout
     * @param gateway the store and pipelines the page shows and changes
     * @param wakeUp run after a queue action made a message due, to wake the delivery workers
     * @param clock session expiry, the login lockout and "valid now" are measured on it
     * @param openRoutes handlers served without a login, by exact path (e.g. {@code "/health"}); a path below one,
     *                   such as {@code /health/x}, goes to the same handler
     * @throws ConfigException naming {@code admin.listen} and the address when it cannot be bound
     */
    public static AdminServer start(AdminSettings settings, Gateway gateway, Runnable wakeUp, Clock clock,
            Map<String, HttpHandler> openRoutes) {
        for (String path : openRoutes.keySet()) {
            if (!path.startsWith("/") || path.length() < 2) {
                throw new IllegalArgumentException("open route '" + path + "' must be a path below /");
            }
        }
        limitRequestTimes();
        AdminRouter router = new AdminRouter(settings, gateway, wakeUp, clock);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.listen().host(), settings.listen().port()), 50);
        } catch (IOException e) {
            throw new ConfigException("admin.listen: cannot listen on " + settings.listen() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        server.createContext("/", router);
        for (Map.Entry<String, HttpHandler> route : new TreeMap<>(openRoutes).entrySet()) {
            server.createContext(route.getKey(), exactly(route.getKey(), route.getValue(), router));
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), r -> {
                    Thread t = new Thread(r, "admin-http-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        server.start();
        return new AdminServer(server, executor);
    }

    /** The bound port (the chosen one when {@code admin.listen} has port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting, ends open exchanges and the threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The JDK server waits for a slow client forever unless told otherwise, so that a few clients trickling bytes
     * could hold every thread. Its limits are system properties (seconds), read once when the first server is made;
     * one the operator set with {@code -D} is kept.
     */
    private static void limitRequestTimes() {
        for (String property : new String[] {"sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime"}) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, String.valueOf(REQUEST_TIME_LIMIT_SECONDS));
            }
        }
    }

    /** The JDK server matches contexts by prefix; {@code /healthz} must not reach {@code /health}'s handler. */
    private static HttpHandler exactly(String path, HttpHandler handler, HttpHandler otherwise) {
        return exchange -> {
            String requested = exchange.getRequestURI().getPath();
            if (requested.equals(path) || requested.startsWith(path + "/")) {
                handler.handle(exchange);
            } else {
                otherwise.handle(exchange);
            }
        };
    }
}
