package org.smimegw.smtp.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.smimegw.core.helpdesk.HeaderNamePatterns;
import org.smimegw.core.helpdesk.SubjectTags;
import org.smimegw.core.mime.SpoolSettings;
import org.smimegw.core.revocation.RevocationSettings;
import org.smimegw.store.JdbcUrls;
import org.smimegw.store.StoreSettings;

/**
 * Every configuration key with its default (docs/design.md §7). A key missing here is unknown
 * and stops start-up. An empty default means unset. {@code gateway.hostname} defaults to the local host name.
 */
final class ConfigKeys {
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("gateway.hostname", "");
        DEFAULTS.put("store.url", "jdbc:h2:file:./data/gateway");
        DEFAULTS.put("store.user", "sa");
        DEFAULTS.put("store.password", "");
        DEFAULTS.put("store.master.key.file", "./data/master.key");
        DEFAULTS.put("store.pool.size", Integer.toString(StoreSettings.DEFAULT_POOL_SIZE));
        DEFAULTS.put("outbound.listen", "127.0.0.1:10025");
        DEFAULTS.put("outbound.relay", "127.0.0.1:25");
        DEFAULTS.put("inbound.listen", "127.0.0.1:10026");
        DEFAULTS.put("inbound.relay", "127.0.0.1:2525");
        DEFAULTS.put("smtp.allowed.clients", "127.0.0.1/32,::1/128");
        DEFAULTS.put("smtp.max.message.bytes", "52428800");
        DEFAULTS.put("outbound.sign", "required");
        DEFAULTS.put("outbound.encrypt", "if-possible");
        DEFAULTS.put("outbound.encrypt.required.for", "");
        DEFAULTS.put("outbound.encrypt.never.for", "");
        DEFAULTS.put("outbound.sign.never.for", "");
        DEFAULTS.put("outbound.encrypt.subject.trigger", "");
        DEFAULTS.put("outbound.header.protection", "protect");
        DEFAULTS.put("delivery.retry.intervals", "1m,5m,15m,1h,4h");
        DEFAULTS.put("delivery.max.age", "5d");
        DEFAULTS.put("smtp.tls.certificate", "");
        DEFAULTS.put("smtp.tls.key", "");
        DEFAULTS.put("smtp.tls.required", "false");
        DEFAULTS.put("smtp.auth.users.file", "");
        DEFAULTS.put("smtp.max.recipients", "1000");
        DEFAULTS.put("smtp.max.connections", "100");
        DEFAULTS.put("smtp.timeout", "5m");
        DEFAULTS.put("outbound.relay.tls", "starttls");
        DEFAULTS.put("inbound.relay.tls", "starttls");
        DEFAULTS.put("delivery.connect.timeout", "30s");
        DEFAULTS.put("delivery.read.timeout", "5m");
        DEFAULTS.put("delivery.workers", "auto");
        DEFAULTS.put("delivery.lease.time", "1m");
        DEFAULTS.put("spool.dir", "./data/spool");
        DEFAULTS.put("spool.memory.limit", Integer.toString(SpoolSettings.DEFAULT_MEMORY_LIMIT));
        DEFAULTS.put("spool.mapped.limit", Long.toString(SpoolSettings.DEFAULT_MAPPED_LIMIT));
        DEFAULTS.put("admin.listen", "127.0.0.1:8025");
        DEFAULTS.put("admin.user", "admin");
        DEFAULTS.put("admin.password.hash", "");
        DEFAULTS.put("admin.session.timeout", "30m");
        DEFAULTS.put("admin.health.grace", "2m");
        DEFAULTS.put("cert.expiry.warning.days", "30");
        DEFAULTS.put("revocation.check", "soft");
        DEFAULTS.put("revocation.fetch", "true");
        DEFAULTS.put("revocation.timeout", "5s");
        DEFAULTS.put("revocation.crl.max.bytes", Long.toString(RevocationSettings.DEFAULT_MAX_CRL_BYTES));
        DEFAULTS.put("inbound.harvest", "trusted");
        DEFAULTS.put("lookup.timeout", "5s");
        DEFAULTS.put("lookup.negative.ttl", "1h");
        DEFAULTS.put("lookup.ldap.url", "");
        DEFAULTS.put("lookup.ldap.filter", "(mail={0})");
        DEFAULTS.put("lookup.ldap.bind.dn", "");
        DEFAULTS.put("lookup.ldap.bind.password.file", "");
        DEFAULTS.put("lookup.ldap.size.limit", "10");
        DEFAULTS.put("lookup.dane", "off");
        DEFAULTS.put("lookup.dns.resolver", "127.0.0.1:53");
        DEFAULTS.put("inbound.strip.headers", HeaderNamePatterns.DEFAULT);
        DEFAULTS.put("inbound.subject.tag", "off");
        DEFAULTS.put("inbound.subject.tag.pass", SubjectTags.PASS);
        DEFAULTS.put("inbound.subject.tag.fail", SubjectTags.FAIL);
        DEFAULTS.put("inbound.subject.tag.policy", SubjectTags.POLICY);
        DEFAULTS.put("inbound.subject.tag.decrypted", SubjectTags.DECRYPTED);
        DEFAULTS.put("smime.digest", "sha-256");
        DEFAULTS.put("smime.rsa.signature", "pkcs1");
        DEFAULTS.put("smime.cipher", "aes-256-cbc");
        DEFAULTS.put("smime.rsa.key.transport", "pkcs1");
        DEFAULTS.put("smime.verify.accept.sha1", "false");
        DEFAULTS.put("crypto.provider", "auto");
    }

    private ConfigKeys() {
    }

    /** The keys whose values are file paths; {@code store.url} holds one when it names an H2 file database. */
    static final List<String> PATH_KEYS = List.of("store.master.key.file", "spool.dir", "smtp.tls.certificate",
            "smtp.tls.key", "smtp.auth.users.file", "lookup.ldap.bind.password.file");

    /**
     * Makes the relative paths among {@code values} absolute against {@code base}: those of {@link #PATH_KEYS} and
     * an H2 file database's in {@code store.url}. Empty values stay empty (unset); a value that is no path is left
     * for its key's own check to refuse.
     */
    static void resolvePaths(Map<String, String> values, Path base) {
        for (String key : PATH_KEYS) {
            String value = values.get(key);
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                values.put(key, base.resolve(value).normalize().toString());
            } catch (InvalidPathException e) {
                // ConfigValues.path names the key and the reason
            }
        }
        values.put("store.url", JdbcUrls.resolveAgainst(values.get("store.url"), base));
    }

    /** Every environment variable with this prefix must name a key. */
    static final String ENVIRONMENT_PREFIX = "SMIMEGW_";

    /** The environment variable that overrides a key: {@code SMIMEGW_} + upper case, {@code .} → {@code _}. */
    static String environmentVariable(String key) {
        return ENVIRONMENT_PREFIX + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }
}
