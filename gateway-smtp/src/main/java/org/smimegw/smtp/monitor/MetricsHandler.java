package org.smimegw.smtp.monitor;

import java.io.IOException;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves {@code /metrics}: the Prometheus text format 0.0.4. GET and HEAD only, otherwise 405. Thread-safe.
 */
final class MetricsHandler implements HttpHandler {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> scrape;

    MetricsHandler(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (Responses.readOnly(exchange)) {
                Responses.send(exchange, 200, CONTENT_TYPE,
                        exchange.getRequestMethod().equals("HEAD") ? "" : scrape.get());
            }
        } finally {
            exchange.close();
        }
    }
}
