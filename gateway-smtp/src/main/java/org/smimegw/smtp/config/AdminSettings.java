package org.smimegw.smtp.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admin HTTP server and what it watches.
 *
 * @param listen {@code admin.listen}: where {@code /health}, {@code /metrics} and the admin page are served
 * @param user {@code admin.user}: the name to log in to the admin page with
 * @param passwordHash {@code admin.password.hash}: the bcrypt hash of that user's password ({@code admin hash}
 *                     prints one); when unset the page refuses every login and says how to set one, while
 *                     {@code /health} and {@code /metrics} are served all the same
 * @param sessionTimeout {@code admin.session.timeout}: a login ends after this long without a request
 * @param healthGrace {@code admin.health.grace}: how long the store or an upstream may be unreachable before
 *                    {@code /health} reports the gateway not ready
 * @param expiryWarningDays {@code cert.expiry.warning.days}: an organisation certificate expiring within this many
 *                          days (and not yet replaced by a later one) gives a warning in the log and the metrics
 */
public record AdminSettings(
        HostPort listen,
        String user,
        Optional<String> passwordHash,
        Duration sessionTimeout,
        Duration healthGrace,
        int expiryWarningDays) {

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");

    static AdminSettings parse(java.util.Map<String, String> v) {
        String user = v.get("admin.user");
        if (!USER.matcher(user).matches()) {
            throw new ConfigException("admin.user: '" + user + "' must be 1-64 letters, digits or ._@+-");
        }
        String hash = v.get("admin.password.hash").strip();
        if (!hash.isEmpty() && !BCRYPT.matcher(hash).matches()) {
            // never echo the value: it may be a password typed where its hash belongs
            throw new ConfigException("admin.password.hash: not a bcrypt hash ($2y$, $2a$ or $2b$ with a cost of"
                    + " 04-31); 'smime-gateway admin hash --password-env VAR' prints one");
        }
        return new AdminSettings(
                HostPort.parse("admin.listen", v.get("admin.listen")),
                user,
                hash.isEmpty() ? Optional.empty() : Optional.of(hash),
                ConfigValues.duration("admin.session.timeout", v.get("admin.session.timeout")),
                ConfigValues.duration("admin.health.grace", v.get("admin.health.grace")),
                ConfigValues.positiveInt("cert.expiry.warning.days", v.get("cert.expiry.warning.days")));
    }

    @Override
    public String toString() {
        // the hash is not a secret in the strict sense, but it has no business in a log line
        return "AdminSettings[listen=" + listen + ", user=" + user + ", password "
                + (passwordHash.isPresent() ? "set" : "unset") + ", sessionTimeout=" + sessionTimeout
                + ", healthGrace=" + healthGrace + ", expiryWarningDays=" + expiryWarningDays + "]";
    }
}
