package org.smimegw.smtp.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.AdminSettings;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Every admin page request: the login, the session check (anonymous GET goes to the login page with 303, anonymous
 * POST gets 403), the CSRF check of every POST, and the dispatch to the pages.
 */
final class AdminRouter implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRouter.class);

    private final AdminSettings settings;
    private final Sessions sessions;
    private final LoginPage login;
    private final CertificatesPage certificates;
    private final KeysPage keys;
    private final QueuePage queue;
    private final AuditPage audit;
    private final byte[] stylesheet;

    AdminRouter(AdminSettings settings, Gateway gateway, Runnable wakeUp, Clock clock) {
        this.settings = settings;
        this.sessions = new Sessions(clock, settings.sessionTimeout());
        this.login = new LoginPage(settings, sessions, new LoginThrottle(clock), gateway.audit(), clock);
        this.certificates = new CertificatesPage(gateway, clock);
        this.keys = new KeysPage(gateway, clock);
        this.queue = new QueuePage(gateway, clock, wakeUp);
        this.audit = new AuditPage(gateway);
        try (InputStream in = AdminRouter.class.getResourceAsStream("style.css")) {
            this.stylesheet = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (IOException e) {
            LOG.debug("admin page: {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    e.toString());
        } catch (RuntimeException e) {
            LOG.error("admin page: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            Exchanges.error(exchange, 500, "Internal error", "the request failed; the gateway's log has details");
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        boolean get = "GET".equals(method) || "HEAD".equals(method);
        if (!get && !"POST".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD, POST");
            Exchanges.error(exchange, 405, "Method not allowed", method + " is not used here");
            return;
        }
        if (get && "/style.css".equals(path)) {
            Exchanges.send(exchange, 200, "text/css; charset=utf-8", stylesheet);
            return;
        }
        if (LoginPage.PATH.equals(path)) {
            if (get) {
                login.show(exchange, 200, null);
            } else {
                Optional<FormFields> form = form(exchange);
                if (form.isPresent()) {
                    login.login(exchange, form.get());
                }
            }
            return;
        }
        Optional<Sessions.Session> session = Exchanges.sessionCookie(exchange).flatMap(sessions::find);
        if (session.isEmpty()) {
            if (get) {
                Exchanges.redirect(exchange, LoginPage.PATH);
            } else {
                Exchanges.error(exchange, 403, "Forbidden", "log in first");
            }
            return;
        }
        if (get) {
            show(exchange, session.get(), path);
        } else {
            post(exchange, session.get(), path);
        }
    }

    private void show(HttpExchange exchange, Sessions.Session session, String path) throws IOException {
        switch (path) {
            case "/" -> Exchanges.redirect(exchange, CertificatesPage.PATH);
            case CertificatesPage.PATH -> page(exchange, session, "Certificates", null,
                    certificates.body(session.csrf()));
            case KeysPage.PATH -> page(exchange, session, "Organisation keys", null, keys.body(session.csrf()));
            case QueuePage.PATH -> page(exchange, session, "Queue", null, queue.body(session.csrf()));
            case AuditPage.PATH -> page(exchange, session, "Audit log", null, audit.body());
            default -> Exchanges.error(exchange, 404, "Not found", "there is no page " + path);
        }
    }

    private void post(HttpExchange exchange, Sessions.Session session, String path) throws IOException {
        Optional<FormFields> parsed = form(exchange);
        if (parsed.isEmpty()) {
            return;
        }
        FormFields form = parsed.get();
        if (!session.csrfMatches(form.field("csrf"))) {
            Exchanges.error(exchange, 403, "Forbidden", "the form is stale or foreign (CSRF token missing or wrong);"
                    + " reload the page and try again");
            return;
        }
        String csrf = session.csrf();
        switch (path) {
            case "/logout" -> {
                sessions.end(session.token());
                Exchanges.clearSessionCookie(exchange);
                Exchanges.redirect(exchange, LoginPage.PATH);
            }
            case "/certificates/upload" -> {
                if (multipart(exchange, form)) {
                    page(exchange, session, "Certificates", certificates.upload((MultipartForm) form),
                            certificates.body(csrf));
                }
            }
            case "/certificates/delete" -> page(exchange, session, "Certificates", certificates.delete(form),
                    certificates.body(csrf));
            case "/certificates/approve" -> page(exchange, session, "Certificates", certificates.approve(form),
                    certificates.body(csrf));
            case "/keys/upload" -> {
                if (multipart(exchange, form)) {
                    page(exchange, session, "Organisation keys", keys.upload((MultipartForm) form), keys.body(csrf));
                }
            }
            case "/keys/delete" -> page(exchange, session, "Organisation keys", keys.delete(form), keys.body(csrf));
            default -> {
                Layout.Notice notice = path.startsWith("/queue/")
                        ? queue.act(path.substring("/queue/".length()), form) : null;
                if (notice == null) {
                    Exchanges.error(exchange, 404, "Not found", "there is no action " + path);
                } else {
                    page(exchange, session, "Queue", notice, queue.body(csrf));
                }
            }
        }
    }

    private void page(HttpExchange exchange, Sessions.Session session, String title, Layout.Notice notice,
            String body) throws IOException {
        Exchanges.html(exchange, 200, Layout.page(title, settings.user(), session.csrf(), notice, body));
    }

    private static boolean multipart(HttpExchange exchange, FormFields form) throws IOException {
        if (form instanceof MultipartForm) {
            return true;
        }
        Exchanges.error(exchange, 400, "Bad request", "an upload must be sent as multipart/form-data");
        return false;
    }

    /** The posted form, or empty after an error response (too large, malformed, unknown encoding). */
    private static Optional<FormFields> form(HttpExchange exchange) throws IOException {
        byte[] body;
        try {
            body = Exchanges.body(exchange);
        } catch (Exchanges.TooLarge e) {
            Exchanges.error(exchange, 413, "Request too large", "the upload is larger than "
                    + Exchanges.MAX_BODY_BYTES / 1024 + " KiB; a certificate or PKCS#12 file is a few KiB");
            return Optional.empty();
        }
        String type = Exchanges.mediaType(exchange);
        try {
            if ("multipart/form-data".equals(type)) {
                return Optional.of(MultipartForm.parse(exchange.getRequestHeaders().getFirst("Content-Type"), body));
            }
            if ("application/x-www-form-urlencoded".equals(type) || type.isEmpty()) {
                Map<String, String> fields = Exchanges.urlEncoded(body);
                return Optional.of(name -> fields.getOrDefault(name, ""));
            }
        } catch (IOException e) {
            Exchanges.error(exchange, 400, "Bad request", e.getMessage());
            return Optional.empty();
        } finally {
            // the body may hold a password
            Arrays.fill(body, (byte) 0);
        }
        Exchanges.error(exchange, 415, "Unsupported form encoding", "forms are sent as "
                + "application/x-www-form-urlencoded or multipart/form-data");
        return Optional.empty();
    }
}
