package org.smimegw.smtp.lookup;

import java.util.Optional;

import com.unboundid.ldap.sdk.LDAPURL;

/**
 * The {@code lookup.ldap.*} keys (docs/design.md §10), checked at start-up.
 *
 * @param url {@code lookup.ldap.url}: scheme, host, port and the base DN searched below
 * @param filter {@code lookup.ldap.filter}, with {@code {0}} where the escaped address goes
 * @param bindDn {@code lookup.ldap.bind.dn}; empty for an anonymous search
 * @param password the content of {@code lookup.ldap.bind.password.file} (first line); empty without a bind DN
 * @param sizeLimit {@code lookup.ldap.size.limit}: the most entries one search returns
 */
public record LdapSettings(LDAPURL url, String filter, Optional<String> bindDn, String password, int sizeLimit) {
    @Override
    public String toString() {
        return "LdapSettings[" + url + ", " + filter + ", bind " + bindDn.orElse("anonymous") + ", size limit "
                + sizeLimit + "]";
    }
}
