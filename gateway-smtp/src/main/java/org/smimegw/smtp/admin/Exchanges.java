package org.smimegw.smtp.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/** Reading requests and writing responses of the admin page, with the security headers on every response. */
final class Exchanges {
    /** The largest request body accepted: a certificate or PKCS#12 file is a few kilobytes. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** A refused body up to this size is read to its end before the 413 page is sent. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    static final String SESSION_COOKIE = "smimegw_admin";
    private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private Exchanges() {
    }

    /** The request body was larger than {@link #MAX_BODY_BYTES}. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;
    }

    static void html(HttpExchange exchange, int status, String page) throws IOException {
        send(exchange, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", CSP);
        headers.set("Referrer-Policy", "no-referrer");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** 303 See Other to a path of this server. */
    static void redirect(HttpExchange exchange, String path) throws IOException {
        exchange.getResponseHeaders().set("Location", path);
        send(exchange, 303, "text/plain; charset=utf-8", new byte[0]);
    }

    /** An error page with one escaped sentence. */
    static void error(HttpExchange exchange, int status, String title, String sentence) throws IOException {
        html(exchange, status, Layout.plain(title, new Html().element("p", sentence)
                .raw("<p><a href=\"/\">Back to the admin page</a></p>").toString()));
    }

    /**
     * The whole request body, refusing more than {@link #MAX_BODY_BYTES}. A refused body of moderate size is read
     * to its end first, so the browser sees the 413 page instead of a connection reset.
     */
    static byte[] body(HttpExchange exchange) throws IOException, TooLarge {
        long declared = -1;
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            if (declared > MAX_BODY_BYTES) {
                drain(in, declared);
                throw new TooLarge();
            }
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                drain(in, DRAIN_LIMIT);
                throw new TooLarge();
            }
            return bytes;
        }
    }

    /** Reads and drops up to {@link #DRAIN_LIMIT} bytes; a larger body ends with the connection. */
    private static void drain(InputStream in, long declared) throws IOException {
        if (declared <= DRAIN_LIMIT) {
            byte[] buffer = new byte[8192];
            long left = DRAIN_LIMIT;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
        }
    }

    /** The fields of an {@code application/x-www-form-urlencoded} body; the first value of each name counts. */
    static Map<String, String> urlEncoded(byte[] body) {
        Map<String, String> fields = new HashMap<>();
        String text = new String(body, StandardCharsets.US_ASCII);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // a malformed %-escape: the field is ignored, and a missing CSRF token refuses the request
            }
        }
        return fields;
    }

    /** The fields of the request's query string, decoded as those of a posted form. */
    static FormFields query(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        return fields(query == null ? Map.of() : urlEncoded(query.getBytes(StandardCharsets.UTF_8)));
    }

    /** The map's values as fields; a missing one is the empty string. */
    static FormFields fields(Map<String, String> values) {
        return name -> values.getOrDefault(name, "");
    }

    /** The value of the session cookie, if the request carries one. */
    static Optional<String> sessionCookie(HttpExchange exchange) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String cookie : header.split(";")) {
                String c = cookie.strip();
                if (c.startsWith(SESSION_COOKIE + "=")) {
                    return Optional.of(c.substring(SESSION_COOKIE.length() + 1));
                }
            }
        }
        return Optional.empty();
    }

    static void setSessionCookie(HttpExchange exchange, String token) {
        exchange.getResponseHeaders().add("Set-Cookie",
                SESSION_COOKIE + "=" + token + "; HttpOnly; SameSite=Strict; Path=/");
    }

    static void clearSessionCookie(HttpExchange exchange) {
        exchange.getResponseHeaders().add("Set-Cookie",
                SESSION_COOKIE + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    }

    /** The request's content type without parameters, lower case. */
    static String mediaType(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
