package org.smimegw.smtp.monitor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves {@code /health} (the JSON report: 200 when ready, 503 when not), {@code /health/live} (200 while the process
 * serves) and {@code /health/ready} (200 or 503 with the same report). GET and HEAD only, otherwise 405. Mount it on
 * the context {@code /health}. Thread-safe.
 */
final class HealthHandler implements HttpHandler {
    private final Health health;

    HealthHandler(Health health) {
        this.health = health;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health/live")) {
                send(exchange, 200, "{\"live\":true}");
            } else if (path.equals("/health") || path.equals("/health/") || path.equals("/health/ready")) {
                Health.Report report = health.report();
                send(exchange, report.ready() ? 200 : 503, report.json());
            } else {
                send(exchange, 404, "{\"error\":\"not found\"}");
            }
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
