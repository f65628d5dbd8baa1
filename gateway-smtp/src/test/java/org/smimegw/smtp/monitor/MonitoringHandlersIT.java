package org.smimegw.smtp.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.testing.InMemoryMessageQueue;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.core.testing.MutableClock;

import com.sun.net.httpserver.HttpServer;

/** {@code /metrics} and {@code /health} served by a JDK HTTP server on loopback, asked by the JDK HTTP client. */
class MonitoringHandlersIT {
    private static final Instant NOW = TestPki.NOW;
    private static final Duration GRACE = Duration.ofMinutes(2);
    private static final HostPort OUTBOUND_RELAY = new HostPort("127.0.0.1", 25);

    private final MutableClock clock = new MutableClock(NOW);
    private final CountDownLatch hungStore = new CountDownLatch(1);
    private volatile BooleanSupplier store = () -> true;
    private final OrgKeys stores = new OrgKeys();
    private final Monitoring monitoring = new Monitoring(new InMemoryMessageQueue(), stores.certificates,
            stores.keys, () -> store.getAsBoolean(), Map.of(Direction.OUTBOUND, OUTBOUND_RELAY, Direction.INBOUND,
                    new HostPort("127.0.0.1", 2525)), GRACE, 30, clock);
    private final HttpServer server = start();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/metrics", monitoring.metricsHandler());
            http.createContext("/health", monitoring.healthHandler());
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        hungStore.countDown();
        server.stop(0);
        monitoring.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAnswerPrometheusTextVersion004() throws Exception {
        monitoring.events().intake(Direction.OUTBOUND, MessageEvents.QUEUED);

        HttpResponse<String> response = send("GET", "/metrics");

        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("text/plain; version=0.0.4; charset=utf-8"),
                response.headers().firstValue("Content-Type"));
        assertTrue(response.body().contains(
                "smimegw_intake_messages_total{direction=\"outbound\",outcome=\"queued\"} 1.0\n"), response.body());
    }

    @Test
    void metricsAnswerHeadWithoutABodyAndRefuseOtherMethods() throws Exception {
        HttpResponse<String> head = send("HEAD", "/metrics");
        HttpResponse<String> post = send("POST", "/metrics");

        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(405, post.statusCode());
        assertEquals(Optional.of("GET, HEAD"), post.headers().firstValue("Allow"));
        assertEquals(405, send("DELETE", "/health").statusCode());
    }

    @Test
    void healthIsLiveAndReadyWhileTheStoreAnswersAndNoRelayFailed() throws Exception {
        HttpResponse<String> health = send("GET", "/health");

        assertEquals(200, health.statusCode());
        assertEquals(Optional.of("application/json; charset=utf-8"), health.headers().firstValue("Content-Type"));
        assertEquals("{\"live\":true,\"ready\":true,\"checks\":{\"store\":{\"reachable\":true},"
                + "\"outbound.relay\":{\"reachable\":true,\"address\":\"127.0.0.1:25\"},"
                + "\"inbound.relay\":{\"reachable\":true,\"address\":\"127.0.0.1:2525\"}}}\n", health.body());
        assertEquals(200, send("GET", "/health/ready").statusCode());
        assertEquals(200, send("GET", "/health/live").statusCode());
        assertEquals(404, send("GET", "/health/other").statusCode());
    }

    @Test
    void aRelayUnreachableLongerThanTheGraceMakesTheGatewayNotReadyUntilItAnswersAgain() throws Exception {
        monitoring.events().relay(Direction.OUTBOUND, OUTBOUND_RELAY, false);
        clock.advance(GRACE);

        HttpResponse<String> withinGrace = send("GET", "/health");
        assertEquals(200, withinGrace.statusCode());
        assertTrue(withinGrace.body().contains("\"outbound.relay\":{\"reachable\":false,\"since\":\"" + NOW
                + "\",\"address\":\"127.0.0.1:25\"}"), withinGrace.body());

        clock.advance(Duration.ofSeconds(1));
        monitoring.events().relay(Direction.OUTBOUND, OUTBOUND_RELAY, false);
        HttpResponse<String> beyond = send("GET", "/health");
        assertEquals(503, beyond.statusCode());
        assertTrue(beyond.body().startsWith("{\"live\":true,\"ready\":false,"), beyond.body());
        assertEquals(503, send("GET", "/health/ready").statusCode());
        assertEquals(200, send("GET", "/health/live").statusCode());

        monitoring.events().relay(Direction.OUTBOUND, OUTBOUND_RELAY, true);
        assertEquals(200, send("GET", "/health/ready").statusCode());
    }

    @Test
    void aStoreThatDoesNotAnswerIsReportedUnreachableWithoutHangingTheRequest() throws Exception {
        store = () -> {
            try {
                hungStore.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        };

        HttpResponse<String> first = send("GET", "/health");
        assertEquals(200, first.statusCode(), "within the grace the gateway stays ready");
        assertTrue(first.body().contains("\"store\":{\"reachable\":false,\"since\":\"" + NOW + "\"}"), first.body());

        clock.advance(GRACE.plusSeconds(1));
        assertEquals(503, send("GET", "/health").statusCode());
    }

    @Test
    void aStoreCheckThatFailsCountsAsUnreachable() throws Exception {
        store = () -> {
            throw new IllegalStateException("connection refused");
        };

        HttpResponse<String> health = send("GET", "/health");

        assertTrue(health.body().contains("\"store\":{\"reachable\":false"), health.body());
        assertEquals(200, health.statusCode(), "not ready only once the grace has passed");
    }
}
