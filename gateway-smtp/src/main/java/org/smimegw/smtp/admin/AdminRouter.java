package org.smimegw.smtp.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.AdminSettings;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Every admin page request: the login, the session check (anonymous GET goes to the login page with 303, anonymous
 * POST gets 403), the CSRF check of every POST, and the dispatch to the pages. A POST that changes something answers
 * 303 to the page it belongs to and leaves its result in the session, which that page shows once (post/redirect/get:
 * a reload repeats nothing); a delete also needs the one-time token of its confirmation page.
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
        this.certificates = new CertificatesPage(gateway, clock, settings.expiryWarningDays());
        this.keys = new KeysPage(gateway, clock, certificates);
        this.queue = new QueuePage(gateway, clock, wakeUp);
        this.audit = new AuditPage(gateway.audit());
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
        FormFields query = Exchanges.query(exchange);
        try {
            switch (path) {
                case "/" -> Exchanges.redirect(exchange, CertificatesPage.PATH);
                case CertificatesPage.PATH -> page(exchange, session, "Certificates", path,
                        certificates.list(session, query));
                case CertificatesPage.VIEW -> page(exchange, session, "Certificate", path,
                        certificates.view(session, query));
                case CertificatesPage.DELETE -> page(exchange, session, "Delete a certificate?", path,
                        certificates.confirmDelete(session, query));
                case KeysPage.PATH -> page(exchange, session, "Organisation keys", path, keys.body(session.csrf()));
                case KeysPage.DELETE -> page(exchange, session, "Delete an organisation key?", path,
                        keys.confirmDelete(session, query));
                case KeysPage.REQUEST -> page(exchange, session, "Certificate request", path,
                        keys.requestView(session, query));
                case KeysPage.REQUEST_PEM -> {
                    KeysPage.Download file = keys.requestFile(query);
                    exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\""
                            + file.fileName() + "\"");
                    Exchanges.send(exchange, 200, "application/pkcs10", file.content());
                }
                case QueuePage.PATH -> page(exchange, session, "Queue", path, queue.list(session, query));
                case QueuePage.VIEW -> page(exchange, session, "Queued message", path, queue.view(session, query));
                case QueuePage.DELETE -> page(exchange, session, "Delete a queued message?", path,
                        queue.confirmDelete(session, query));
                case AuditPage.PATH -> page(exchange, session, "Audit log", path, audit.body(query));
                default -> Exchanges.error(exchange, 404, "Not found", "there is no page " + path);
            }
        } catch (PageError e) {
            Exchanges.html(exchange, e.status(), Layout.page(e.title(), section(path), settings.user(), session.csrf(),
                    null, new Html().element("p", e.getMessage()).raw("<p>").link(section(path), "Back to the list")
                            .raw("</p>").toString()));
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
        switch (path) {
            case "/logout" -> {
                sessions.end(session.token());
                Exchanges.clearSessionCookie(exchange);
                Exchanges.redirect(exchange, LoginPage.PATH);
            }
            case "/certificates/upload" -> {
                if (multipart(exchange, form)) {
                    done(exchange, session, CertificatesPage.PATH, certificates.upload((MultipartForm) form));
                }
            }
            case "/certificates/approve" -> done(exchange, session, CertificatesPage.PATH, certificates.approve(form));
            case CertificatesPage.DELETE -> confirmed(exchange, session, form, path, "fingerprint",
                    certificates::delete);
            case "/keys/upload" -> {
                if (multipart(exchange, form)) {
                    done(exchange, session, KeysPage.PATH, keys.upload((MultipartForm) form));
                }
            }
            case KeysPage.DELETE -> confirmed(exchange, session, form, path, "fingerprint", keys::delete);
            case KeysPage.REQUEST -> {
                KeysPage.Requested requested = keys.request(form);
                done(exchange, session, requested.page(), requested.notice());
            }
            case KeysPage.COMPLETE -> {
                if (multipart(exchange, form)) {
                    done(exchange, session, KeysPage.PATH, keys.complete((MultipartForm) form));
                }
            }
            case QueuePage.DELETE -> confirmed(exchange, session, form, path, "id", queue::delete);
            default -> {
                Layout.Notice notice = path.startsWith("/queue/")
                        ? queue.act(path.substring("/queue/".length()), form) : null;
                if (notice == null) {
                    Exchanges.error(exchange, 404, "Not found", "there is no action " + path);
                } else {
                    done(exchange, session, QueuePage.PATH, notice);
                }
            }
        }
    }

    /**
     * A delete: done only when the form's confirmation token is one this session was given for this action and this
     * target; the token is used up either way.
     */
    private static void confirmed(HttpExchange exchange, Sessions.Session session, FormFields form, String action,
            String field, Function<String, Layout.Notice> delete) throws IOException {
        String target = form.field(field);
        Layout.Notice notice = session.confirmed(form.field("confirmation"), action, target) ? delete.apply(target)
                : Layout.Notice.refusal("nothing was deleted: the confirmation was already used, has expired or"
                        + " belongs to another session or item; choose Delete again");
        done(exchange, session, section(action), notice);
    }

    /** After a change: its result waits in the session for the page the browser is sent to. */
    private static void done(HttpExchange exchange, Sessions.Session session, String page, Layout.Notice notice)
            throws IOException {
        session.flash(notice);
        Exchanges.redirect(exchange, page);
    }

    /** A page in the frame, with the result of the session's last change if it has not been shown yet. */
    private void page(HttpExchange exchange, Sessions.Session session, String title, String path, String body)
            throws IOException {
        Exchanges.html(exchange, 200, Layout.page(title, section(path), settings.user(), session.csrf(),
                session.takeFlash().orElse(null), body));
    }

    /** The list a path belongs to: {@code /certificates} for {@code /certificates/view}. */
    private static String section(String path) {
        int slash = path.indexOf('/', 1);
        return slash < 0 ? path : path.substring(0, slash);
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
                return Optional.of(Exchanges.fields(Exchanges.urlEncoded(body)));
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
