package org.smimegw.smtp.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.smimegw.smtp.lookup.LdapDirectory;
import org.smimegw.smtp.lookup.LdapSettings;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;

/**
 * The {@code lookup.*} keys (docs/design.md §10): where recipients' certificates are looked up, and how long that
 * may take.
 *
 * @param ldap the directory, when {@code lookup.ldap.url} is set
 * @param daneResolver {@code lookup.dns.resolver}, when {@code lookup.dane=on}: the validating resolver asked for
 *     SMIMEA records
 * @param timeout {@code lookup.timeout}: the longest the lookups of one message may take together
 * @param negativeTtl {@code lookup.negative.ttl}: how long a miss is remembered
 */
public record LookupSettings(Optional<LdapSettings> ldap, Optional<HostPort> daneResolver, Duration timeout,
        Duration negativeTtl) {

    static LookupSettings parse(Map<String, String> v) {
        HostPort resolver = HostPort.parse("lookup.dns.resolver", v.get("lookup.dns.resolver"));
        return new LookupSettings(ldap(v),
                ConfigValues.onOff("lookup.dane", v.get("lookup.dane")) ? Optional.of(resolver) : Optional.empty(),
                ConfigValues.duration("lookup.timeout", v.get("lookup.timeout")),
                ConfigValues.duration("lookup.negative.ttl", v.get("lookup.negative.ttl")));
    }

    private static Optional<LdapSettings> ldap(Map<String, String> v) {
        String url = v.get("lookup.ldap.url");
        if (url.isBlank()) {
            return Optional.empty();
        }
        LDAPURL parsed;
        try {
            parsed = new LDAPURL(url);
        } catch (LDAPException e) {
            throw new ConfigException("lookup.ldap.url: '" + url + "' is not an LDAP URL such as "
                    + "ldap://directory.example:389/ou=people,dc=example,dc=org");
        }
        if (!List.of("ldap", "ldaps").contains(parsed.getScheme()) || !parsed.baseDNProvided()
                || parsed.getBaseDN().isNullDN()) {
            throw new ConfigException("lookup.ldap.url: '" + url + "' needs ldap:// or ldaps:// and a base DN, as in "
                    + "ldap://directory.example:389/ou=people,dc=example,dc=org");
        }
        String filter = v.get("lookup.ldap.filter");
        try {
            if (!filter.contains("{0}")) {
                throw new LDAPException(ResultCode.FILTER_ERROR, "no {0}");
            }
            LdapDirectory.filter(filter, "someone@example.org");
        } catch (LDAPException e) {
            throw new ConfigException("lookup.ldap.filter: '" + filter + "' is not an LDAP filter with {0} for the "
                    + "address, such as (mail={0})");
        }
        String bindDn = v.get("lookup.ldap.bind.dn");
        String passwordFile = v.get("lookup.ldap.bind.password.file");
        if (bindDn.isBlank() != passwordFile.isBlank()) {
            throw new ConfigException(bindDn.isBlank() ? "lookup.ldap.bind.password.file: needs lookup.ldap.bind.dn"
                    : "lookup.ldap.bind.dn: needs lookup.ldap.bind.password.file");
        }
        return Optional.of(new LdapSettings(parsed, filter, bindDn.isBlank() ? Optional.empty() : Optional.of(bindDn),
                bindDn.isBlank() ? "" : password(passwordFile),
                ConfigValues.positiveInt("lookup.ldap.size.limit", v.get("lookup.ldap.size.limit"))));
    }

    /** The first line of the file, without its line end. */
    private static String password(String file) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new ConfigException("lookup.ldap.bind.password.file: " + file + " is empty");
            }
            return lines.get(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException("lookup.ldap.bind.password.file: cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }
}
