package org.smimegw.core.revocation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The JDK's HTTP server on a free loopback port, serving fixed answers per path and counting the requests, so tests
 * can tell whether the checker asked. A path can also be made to hang (accept the request and never answer) until
 * the server is closed.
 */
final class TestHttpServer implements AutoCloseable {
    /** What one path answers; {@code action} runs first, e.g. to move a test clock. */
    record Answer(int status, String location, byte[] body, Runnable action) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, byte[]> lastBodies = new ConcurrentHashMap<>();
    private final Map<String, String> lastContentTypes = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    /** Counted down by each request to a hanging path when it arrives. */
    final CountDownLatch hung = new CountDownLatch(1);

    TestHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The same as {@link #url} with the host name {@code localhost}: another host as far as URLs go. */
    String otherHostUrl(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    TestHttpServer answer(String path, byte[] body) {
        return answer(path, new Answer(200, null, body, () -> { }));
    }

    TestHttpServer answer(String path, Answer answer) {
        answers.put(path, answer);
        return this;
    }

    TestHttpServer redirect(String path, String location) {
        return answer(path, new Answer(302, location, new byte[0], () -> { }));
    }

    /** Requests to the path are read and never answered until {@link #close}. */
    TestHttpServer hang(String path) {
        return answer(path, new Answer(-1, null, null, () -> { }));
    }

    int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    int requests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    byte[] lastBody(String path) {
        return lastBodies.get(path);
    }

    String lastContentType(String path) {
        return lastContentTypes.get(path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (InputStream in = exchange.getRequestBody()) {
            lastBodies.put(path, in.readAllBytes());
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
            lastContentTypes.put(path, type);
        }
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Answer answer = answers.getOrDefault(path, new Answer(404, null, new byte[0], () -> { }));
        answer.action().run();
        if (answer.status() < 0) {
            hung.countDown();
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (answer.location() != null) {
            exchange.getResponseHeaders().set("Location", answer.location());
        }
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
