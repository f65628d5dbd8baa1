package org.smimegw.smtp.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test client of the admin page that keeps the session cookie like a browser (and follows no redirect by
 * itself), and remembers the CSRF token of the last page it saw.
 */
public final class AdminClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern CONFIRMATION = Pattern.compile("name=\"confirmation\" value=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private String cookie;
    private String csrf;
    /** Every response body seen, for the "no secret anywhere" checks. */
    public final List<String> seen = new ArrayList<>();

    public AdminClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A file field of a multipart form. */
    public record FilePart(String name, String fileName, byte[] content) {
    }

    String csrf() {
        return csrf;
    }

    String cookie() {
        return cookie;
    }

    void cookie(String value) {
        cookie = value;
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> login(String user, String password) {
        HttpResponse<String> response = post("/login", Map.of("user", user, "password", password));
        response.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
        return response;
    }

    /** Logs in and loads the certificates page, which sets the CSRF token. */
    public void loginOk(String user, String password) {
        HttpResponse<String> response = login(user, password);
        if (response.statusCode() != 303) {
            throw new AssertionError("login failed: " + response.statusCode() + " " + response.body());
        }
        get("/certificates");
    }

    /** Follows a 303 with a GET of its Location, as a browser does after a POST. */
    public HttpResponse<String> follow(HttpResponse<String> redirect) {
        if (redirect.statusCode() != 303) {
            throw new AssertionError("expected 303, got " + redirect.statusCode() + " " + redirect.body());
        }
        return get(redirect.headers().firstValue("Location").orElseThrow());
    }

    /** A POST with the CSRF token, and the page it redirects to. */
    public HttpResponse<String> postAndFollow(String path, Map<String, String> fields) {
        return follow(postWithCsrf(path, fields));
    }

    /** The one-time token of a confirmation page ({@code /certificates/delete?fingerprint=...} and the like). */
    public String confirmation(String confirmationPage) {
        HttpResponse<String> page = get(confirmationPage);
        Matcher m = CONFIRMATION.matcher(page.body());
        if (page.statusCode() != 200 || !m.find()) {
            throw new AssertionError("no confirmation form at " + confirmationPage + ": " + page.statusCode() + " "
                    + page.body());
        }
        return m.group(1);
    }

    /** A urlencoded POST with the fields as given (add "csrf" yourself, or use {@link #postWithCsrf}). */
    public HttpResponse<String> post(String path, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public HttpResponse<String> postWithCsrf(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("csrf", csrf);
        return post(path, all);
    }

    /** A multipart/form-data POST, with the CSRF token unless {@code withCsrf} is false. */
    public HttpResponse<String> upload(String path, Map<String, String> fields, FilePart file, boolean withCsrf) {
        String boundary = "----test" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, String> all = new LinkedHashMap<>(fields);
        if (withCsrf) {
            all.put("csrf", csrf);
        }
        all.forEach((k, v) -> write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k
                + "\"\r\n\r\n" + v + "\r\n"));
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.name() + "\"; filename=\""
                + file.fileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.writeBytes(file.content());
        write(body, "\r\n--" + boundary + "--\r\n");
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            seen.add(response.headers().map() + "\n" + response.body());
            Matcher m = CSRF.matcher(response.body());
            if (m.find()) {
                csrf = m.group(1);
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        Optional.ofNullable(cookie).ifPresent(c -> builder.header("Cookie", c));
        return builder;
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
