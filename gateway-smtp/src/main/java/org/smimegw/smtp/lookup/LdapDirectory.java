package org.smimegw.smtp.lookup;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;

import org.smimegw.core.cert.CertificateFileReader;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.port.RecipientDirectory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;

/**
 * Recipients' certificates from an LDAP directory (docs/design.md §10), with the UnboundID LDAP SDK: one connection
 * per lookup ({@code ldap://} or {@code ldaps://}, the JDK's trust store and the host name checked), an optional
 * simple bind, a subtree search with the configured filter in which the address is escaped (RFC 4515), and the
 * certificates of {@code userCertificate;binary} (DER) and {@code userSMIMECertificate} (PKCS#7). The search is held
 * to the size limit and to the time left; a directory that is down, slow or refuses is a {@link LookupFailure}.
 * Thread-safe.
 */
public final class LdapDirectory implements RecipientDirectory {
    /** At most this many attribute values are read from one answer. */
    static final int MOST_VALUES = 100;
    private static final String[] ATTRIBUTES = {"userCertificate;binary", "userCertificate", "userSMIMECertificate"};

    private final LdapSettings settings;
    /** For {@code ldaps://}: the JDK's default, or the one a test trusts its own server with. */
    private final SocketFactory tlsSockets;

    public LdapDirectory(LdapSettings settings) {
        this(settings, null);
    }

    /** @param tlsSockets the TLS socket factory for {@code ldaps://}; null for the JDK's default context */
    LdapDirectory(LdapSettings settings, SocketFactory tlsSockets) {
        this.settings = settings;
        this.tlsSockets = tlsSockets;
    }

    @Override
    public CertificateSource source() {
        return CertificateSource.LDAP;
    }

    @Override
    public List<X509Certificate> find(String address, Duration timeout) throws LookupFailure {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(millis);
        options.setResponseTimeoutMillis(millis);
        options.setAbandonOnTimeout(true);
        try (LDAPConnection connection = connect(options)) {
            if (settings.bindDn().isPresent()) {
                bind(connection, settings.bindDn().get());
            }
            SearchRequest request = new SearchRequest(settings.url().getBaseDN().toString(), SearchScope.SUB,
                    filter(settings.filter(), address), ATTRIBUTES);
            request.setSizeLimit(settings.sizeLimit());
            request.setTimeLimitSeconds(Math.max(1, millis / 1000));
            request.setResponseTimeoutMillis(millis);
            return certificates(search(connection, request));
        } catch (LDAPException e) {
            throw new LookupFailure(where() + ": " + e.getResultCode() + describe(e), e);
        }
    }

    /** The filter with the address escaped as an assertion value (RFC 4515), so it cannot change the filter. */
    public static Filter filter(String template, String address) throws LDAPException {
        return Filter.create(template.replace("{0}", Filter.encodeValue(address)));
    }

    private LDAPConnection connect(LDAPConnectionOptions options) throws LDAPException {
        SocketFactory sockets = SocketFactory.getDefault();
        if (settings.url().getScheme().equals("ldaps")) {
            try {
                sockets = tlsSockets != null ? tlsSockets : SSLContext.getDefault().getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new LDAPException(ResultCode.LOCAL_ERROR, "no TLS: " + e.getMessage(), e);
            }
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        }
        return new LDAPConnection(sockets, options, settings.url().getHost(), settings.url().getPort());
    }

    private void bind(LDAPConnection connection, String dn) throws LookupFailure {
        try {
            connection.bind(dn, settings.password());
        } catch (LDAPException e) {
            throw new LookupFailure(where() + ": bind as " + dn + " refused: " + e.getResultCode(), e);
        }
    }

    /** A size limit reached still gives the entries found so far. */
    private static SearchResult search(LDAPConnection connection, SearchRequest request) throws LDAPException {
        try {
            return connection.search(request);
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return e.getSearchResult();
            }
            throw e;
        }
    }

    /** Every certificate the entries hold; values that do not parse are skipped. */
    private static List<X509Certificate> certificates(SearchResult result) {
        List<X509Certificate> certificates = new ArrayList<>();
        int values = 0;
        for (SearchResultEntry entry : result.getSearchEntries()) {
            for (Attribute attribute : entry.getAttributes()) {
                boolean smime = attribute.getBaseName().equalsIgnoreCase("userSMIMECertificate");
                for (byte[] value : attribute.getValueByteArrays()) {
                    if (++values > MOST_VALUES) {
                        return certificates;
                    }
                    certificates.addAll(parse(value, smime));
                }
            }
        }
        return certificates;
    }

    private static List<X509Certificate> parse(byte[] value, boolean pkcs7) {
        try {
            if (pkcs7) {
                return CertificateFileReader.read(value);
            }
            return List.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(value)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return List.of();
        }
    }

    private String where() {
        return "ldap " + settings.url().getHost() + ":" + settings.url().getPort();
    }

    private static String describe(LDAPException e) {
        String message = e.getDiagnosticMessage();
        return message == null || message.isBlank() ? "" : " (" + message.strip() + ")";
    }
}
