package org.smimegw.smtp.monitor;

import java.io.IOException;

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
            if (!Responses.readOnly(exchange)) {
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
        Responses.send(exchange, status, "application/json; charset=utf-8", json + "\n");
    }
}
