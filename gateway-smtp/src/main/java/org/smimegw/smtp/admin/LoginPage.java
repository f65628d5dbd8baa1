package org.smimegw.smtp.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.smtp.config.AdminSettings;
import org.smimegw.smtp.server.AuthUsers;

import com.sun.net.httpserver.HttpExchange;

/**
 * {@code /login}: one user ({@code admin.user}) with the bcrypt hash of {@code admin.password.hash}. A wrong user
 * name costs as much as a wrong password; five failures from one address lock it out for a minute
 * ({@link LoginThrottle}). Without a configured hash every login fails and the page says how to set one. Every
 * attempt is written to the audit log ({@code admin.login}: {@code succeeded}, {@code failed} or {@code locked},
 * with the client's address; never the name or password typed).
 */
final class LoginPage {
    static final String PATH = "/login";
    private static final Logger LOG = LoggerFactory.getLogger(LoginPage.class);

    private final AuthUsers user;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final String userName;
    private final AuditLog audit;
    private final Clock clock;

    LoginPage(AdminSettings settings, Sessions sessions, LoginThrottle throttle, AuditLog audit, Clock clock) {
        this.user = settings.passwordHash().map(hash -> AuthUsers.single(settings.user(), hash)).orElse(null);
        this.sessions = sessions;
        this.throttle = throttle;
        this.userName = settings.user();
        this.audit = audit;
        this.clock = clock;
    }

    void show(HttpExchange exchange, int status, String problem) throws IOException {
        Html html = new Html();
        if (user == null) {
            html.raw("<p class=\"warning\">No admin password is set, so every login fails. Set one: run "
                    + "<code>smime-gateway admin hash --password-env VAR</code> (with the new password in the "
                    + "environment variable VAR), put the line it prints (<code>admin.password.hash=...</code>) "
                    + "into the configuration file and restart the gateway.</p>");
        }
        if (problem != null) {
            html.raw("<ul class=\"notice\"><li class=\"refused\">").text(problem).raw("</li></ul>");
        }
        html.raw("<form class=\"box\" method=\"post\" action=\"/login\">"
                + "<label>User <input type=\"text\" name=\"user\" id=\"login-user\" autocomplete=\"username\""
                + " required></label>"
                + "<label>Password <input type=\"password\" name=\"password\" id=\"login-password\""
                + " autocomplete=\"current-password\" required></label>"
                + "<button type=\"submit\" id=\"login-submit\">Log in</button></form>");
        Exchanges.html(exchange, status, Layout.plain("S/MIME gateway administration", html.toString()));
    }

    /** Checks the posted user and password; a good login gets a new session cookie and goes to the certificates. */
    void login(HttpExchange exchange, FormFields form) throws IOException {
        InetAddress client = exchange.getRemoteAddress().getAddress();
        if (throttle.locked(client)) {
            audited("locked", client);
            show(exchange, 429, "too many failed logins from your address; try again in a minute");
            return;
        }
        char[] password = form.field("password").toCharArray();
        boolean good;
        try {
            good = user != null && user.check(form.field("user"), password);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (!good) {
            throttle.failed(client);
            audited("failed", client);
            LOG.warn("admin page: failed login from {}", client.getHostAddress());
            show(exchange, 401, user == null ? "no admin password is set (admin.password.hash)"
                    : "wrong user name or password");
            return;
        }
        throttle.succeeded(client);
        audited("succeeded", client);
        Sessions.Session session = sessions.create();
        LOG.info("admin page: login from {}", client.getHostAddress());
        Exchanges.setSessionCookie(exchange, session.token());
        Exchanges.redirect(exchange, CertificatesPage.PATH);
    }

    private void audited(String decision, InetAddress client) {
        audit.record(new AuditEvent(clock.instant(), "admin.login", userName, decision,
                "from " + client.getHostAddress()));
    }
}
