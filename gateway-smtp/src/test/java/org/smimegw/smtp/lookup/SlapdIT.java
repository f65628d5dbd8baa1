package org.smimegw.smtp.lookup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.naming.AuthenticationException;
import javax.naming.AuthenticationNotSupportedException;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.SizeLimitExceededException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.TestPki;

/**
 * Proves the harness: a private real slapd ({@link Slapd}) serves certificates added with ldapadd, read back here
 * with JNDI and with the ldapsearch command over ldaps. The LDAP certificate lookup's tests reuse {@link Slapd}.
 */
@Timeout(60)
class SlapdIT {
    private static final String MAIL = "alice@example.org";
    private static final String CERTIFICATE = "userCertificate;binary";

    @TempDir
    Path dir;

    @Test
    void anonymousClientsReadACertificateByMail() throws Exception {
        byte[] der = TestPki.client(MAIL).build().certificate().getEncoded();
        int port;
        try (Slapd slapd = Slapd.start(dir)) {
            port = slapd.port();
            assertEquals("cn=alice,dc=example,dc=org", slapd.addPerson("alice", MAIL, der));

            DirContext anonymous = connect(slapd.url(), null, null);
            try {
                List<byte[]> found = certificates(anonymous, slapd.baseDn(), MAIL);
                assertEquals(1, found.size(), slapd.log());
                assertArrayEquals(der, found.get(0));
                assertEquals(List.of(), certificates(anonymous, slapd.baseDn(), "bob@example.org"));
            } finally {
                anonymous.close();
            }
            assertTrue(slapd.log().contains("filter=\"(mail=alice@example.org)\""), slapd.log());
        }
        assertFalse(accepts(port), "slapd still listens on " + port + " after close()");
    }

    @Test
    void rawLdifCarriesBinaryValues() throws Exception {
        byte[] first = TestPki.client(MAIL).build().certificate().getEncoded();
        byte[] second = TestPki.client(MAIL).ec().build().certificate().getEncoded();
        byte[] smime = {0x30, 0x03, 0x02, 0x01, 0x07};
        try (Slapd slapd = Slapd.start(dir)) {
            slapd.add("dn: mail=" + MAIL + "," + slapd.baseDn() + "\n"
                    + "objectClass: inetOrgPerson\n"
                    + "cn: Alice\n"
                    + "sn: Example\n"
                    + "mail: " + MAIL + "\n"
                    + "userCertificate;binary:: " + Slapd.base64(first) + "\n"
                    + "userCertificate;binary:: " + Slapd.base64(second) + "\n"
                    + "userSMIMECertificate:: " + Slapd.base64(smime) + "\n");
            DirContext anonymous = connect(slapd.url(), null, null);
            try {
                List<byte[]> found = certificates(anonymous, slapd.baseDn(), MAIL);
                assertEquals(2, found.size(), slapd.log());
                assertTrue(found.stream().anyMatch(value -> Arrays.equals(first, value)));
                assertTrue(found.stream().anyMatch(value -> Arrays.equals(second, value)));
                SearchControls controls = subtree("userSMIMECertificate");
                NamingEnumeration<SearchResult> results =
                        anonymous.search(slapd.baseDn(), "(mail={0})", new Object[] {MAIL}, controls);
                Attribute attribute = results.next().getAttributes().get("userSMIMECertificate");
                assertArrayEquals(smime, (byte[]) attribute.get());
            } finally {
                anonymous.close();
            }
        }
    }

    @Test
    void withoutAnonymousReadOnlyBoundClientsRead() throws Exception {
        byte[] der = TestPki.client(MAIL).build().certificate().getEncoded();
        try (Slapd slapd = Slapd.start(dir, false)) {
            slapd.addPerson("alice", MAIL, der);
            String gateway = slapd.addUser("gateway", "gateway-secret");
            assertEquals("cn=gateway,dc=example,dc=org", gateway);

            // JNDI binds anonymously on connect, which slapd refuses
            assertThrows(AuthenticationNotSupportedException.class, () -> connect(slapd.url(), null, null));
            assertThrows(AuthenticationException.class, () -> connect(slapd.url(), gateway, "wrong"));
            assertThrows(AuthenticationException.class,
                    () -> connect(slapd.url(), "cn=nobody,dc=example,dc=org", "gateway-secret"));

            DirContext bound = connect(slapd.url(), gateway, "gateway-secret");
            try {
                List<byte[]> found = certificates(bound, slapd.baseDn(), MAIL);
                assertEquals(1, found.size(), slapd.log());
                assertArrayEquals(der, found.get(0));
            } finally {
                bound.close();
            }
            DirContext admin = connect(slapd.url(), slapd.adminDn(), slapd.adminPassword());
            admin.close();
        }
    }

    @Test
    void sizeLimitCutsSearchesShort() throws Exception {
        try (Slapd slapd = Slapd.builder(dir).sizeLimit(1).start()) {
            slapd.addPerson("alice", MAIL, TestPki.client(MAIL).build().certificate().getEncoded());
            slapd.addPerson("alice2", MAIL, TestPki.client(MAIL).build().certificate().getEncoded());
            DirContext anonymous = connect(slapd.url(), null, null);
            try {
                assertThrows(SizeLimitExceededException.class,
                        () -> certificates(anonymous, slapd.baseDn(), MAIL));
            } finally {
                anonymous.close();
            }
        }
    }

    @Test
    void ldapsServesWithItsSelfSignedCertificate() throws Exception {
        byte[] der = TestPki.client(MAIL).build().certificate().getEncoded();
        try (Slapd slapd = Slapd.start(dir)) {
            slapd.addPerson("alice", MAIL, der);
            assertNotEquals(slapd.port(), slapd.ldapsPort());

            Command trusted = ldapsearch(slapd, slapd.ldapsCertificate().toString());
            assertEquals(0, trusted.exitCode(), trusted.output());
            String prefix = CERTIFICATE + ":: ";
            List<String> values = trusted.output().lines().filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(prefix.length())).toList();
            assertEquals(1, values.size(), trusted.output());
            assertArrayEquals(der, Base64.getDecoder().decode(values.get(0)));

            // the system's trust anchors do not know the certificate
            Command untrusted = ldapsearch(slapd, "/etc/ssl/certs/ca-certificates.crt");
            assertNotEquals(0, untrusted.exitCode(), untrusted.output());
        }
    }

    private static DirContext connect(String url, String bindDn, String password) throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, url);
        env.put("com.sun.jndi.ldap.connect.timeout", "5000");
        env.put("com.sun.jndi.ldap.read.timeout", "5000");
        // JNDI returns the values of these and of every attribute;binary as byte[], others as String
        env.put("java.naming.ldap.attributes.binary", "userSMIMECertificate");
        if (bindDn == null) {
            env.put(Context.SECURITY_AUTHENTICATION, "none");
        } else {
            env.put(Context.SECURITY_AUTHENTICATION, "simple");
            env.put(Context.SECURITY_PRINCIPAL, bindDn);
            env.put(Context.SECURITY_CREDENTIALS, password);
        }
        return new InitialDirContext(env);
    }

    /** The {@code userCertificate;binary} values of the entries with {@code mail}. */
    private static List<byte[]> certificates(DirContext context, String baseDn, String mail) throws NamingException {
        List<byte[]> values = new ArrayList<>();
        NamingEnumeration<SearchResult> results =
                context.search(baseDn, "(mail={0})", new Object[] {mail}, subtree(CERTIFICATE));
        try {
            while (results.hasMore()) {
                Attribute attribute = results.next().getAttributes().get(CERTIFICATE);
                for (int i = 0; attribute != null && i < attribute.size(); i++) {
                    values.add((byte[]) attribute.get(i));
                }
            }
        } finally {
            results.close();
        }
        return values;
    }

    private static SearchControls subtree(String attribute) {
        SearchControls controls = new SearchControls();
        controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
        controls.setReturningAttributes(new String[] {attribute});
        return controls;
    }

    private record Command(int exitCode, String output) {
    }

    /** {@code ldapsearch} over ldaps, trusting the PEM certificates in {@code caFile} only. */
    private Command ldapsearch(Slapd slapd, String caFile) throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "ldapsearch", ".out");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no",
                "-o", "nettimeout=5", "-H", slapd.ldapsUrl(), "-b", slapd.baseDn(), "(mail=" + MAIL + ")", CERTIFICATE)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("LDAPTLS_CACERT", caFile);
        builder.environment().put("LDAPTLS_REQCERT", "demand");
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ldapsearch did not finish within 30 s: " + Files.readString(output));
        }
        return new Command(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Slapd.HOST, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
