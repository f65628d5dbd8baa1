package org.smimegw.smtp.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.outbound.OutboundResult;
import org.smimegw.core.outbound.RecipientDiscovery;
import org.smimegw.core.port.RecipientDirectory.LookupFailure;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.testing.InMemoryAuditLog;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.GatewayConfig;

import com.unboundid.ldap.sdk.LDAPURL;

/**
 * docs/design.md §10 against a real OpenLDAP ({@link Slapd}): what {@link LdapDirectory} finds, how it binds, and
 * that neither an address nor a directory that is down can do harm.
 */
class LdapDirectoryIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String BOB = "bob@customer.example";

    @TempDir
    Path dir;
    private Slapd slapd;

    @BeforeEach
    void start() throws Exception {
        slapd = Slapd.start(dir.resolve("slapd"), true);
    }

    @AfterEach
    void stop() throws Exception {
        slapd.close();
    }

    private LdapSettings settings(String url, String filter, String bindDn, String password, int sizeLimit)
            throws Exception {
        return new LdapSettings(new LDAPURL(url + "/" + slapd.baseDn()), filter, Optional.ofNullable(bindDn),
                password == null ? "" : password, sizeLimit);
    }

    private LdapDirectory directory() throws Exception {
        return new LdapDirectory(settings(slapd.url(), "(mail={0})", null, null, 10));
    }

    private static byte[] der(TestPki.Issued issued) throws Exception {
        return issued.certificate().getEncoded();
    }

    @Test
    void findsTheCertificatesOfUserCertificateBinaryAndUserSmimeCertificate() throws Exception {
        TestPki.Issued first = TestPki.client(BOB).build();
        TestPki.Issued second = TestPki.client(BOB).build();
        CMSSignedDataGenerator bundle = new CMSSignedDataGenerator();
        bundle.addCertificates(new JcaCertStore(List.of(second.certificate())));
        byte[] pkcs7 = bundle.generate(new CMSAbsentContent()).getEncoded();
        slapd.add("dn: cn=bob," + slapd.baseDn() + "\nobjectClass: inetOrgPerson\ncn: bob\nsn: bob\nmail: " + BOB
                + "\nuserCertificate;binary:: " + Slapd.base64(der(first)) + "\nuserSMIMECertificate:: "
                + Slapd.base64(pkcs7) + "\n");

        List<X509Certificate> found = directory().find(BOB, TIMEOUT);

        assertEquals(List.of(Fingerprints.sha256(first.certificate()), Fingerprints.sha256(second.certificate())),
                found.stream().map(Fingerprints::sha256).toList());
        assertEquals(List.of(), directory().find("nobody@customer.example", TIMEOUT));
    }

    @Test
    void filterMetacharactersInAnAddressAreEscapedAndFindNothing() throws Exception {
        slapd.addPerson("bob", BOB, der(TestPki.client(BOB).build()));
        slapd.addPerson("carol", "carol@customer.example", der(TestPki.client("carol@customer.example").build()));

        for (String hostile : List.of("*", "*)(mail=*", "bob@customer.example)(|(mail=*)", "\\2a", "bob*")) {
            assertEquals(List.of(), directory().find(hostile, TIMEOUT), hostile);
        }
        assertTrue(slapd.log().contains("filter=\"(mail=\\2A)\""), "the server saw * escaped: " + slapd.log());
    }

    @Test
    void aBindDnAndPasswordAreUsedAndAWrongPasswordIsAFailureNamingTheDn() throws Exception {
        slapd.close();
        slapd = Slapd.start(dir.resolve("closed"), false);
        String dn = slapd.addUser("gateway", "gateway-secret");
        TestPki.Issued bob = TestPki.client(BOB).build();
        slapd.addPerson("bob", BOB, der(bob));

        List<X509Certificate> found = new LdapDirectory(settings(slapd.url(), "(mail={0})", dn, "gateway-secret", 10))
                .find(BOB, TIMEOUT);
        LookupFailure wrong = assertThrows(LookupFailure.class, () -> new LdapDirectory(
                settings(slapd.url(), "(mail={0})", dn, "wrong", 10)).find(BOB, TIMEOUT));
        LookupFailure anonymous = assertThrows(LookupFailure.class, () -> directory().find(BOB, TIMEOUT));

        assertEquals(List.of(bob.certificate()), found);
        assertEquals("ldap 127.0.0.1:" + slapd.port() + ": bind as " + dn + " refused: 49 (invalid credentials)",
                wrong.getMessage());
        assertTrue(anonymous.getMessage().startsWith("ldap 127.0.0.1:" + slapd.port() + ": 53 (unwilling to perform)"),
                anonymous.getMessage());
    }

    @Test
    void aDirectoryThatIsDownIsAFailureWithinTheTimeout() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        LdapDirectory down = new LdapDirectory(settings("ldap://127.0.0.1:" + closed, "(mail={0})", null, null, 10));

        long start = System.nanoTime();
        LookupFailure failure = assertThrows(LookupFailure.class, () -> down.find(BOB, Duration.ofSeconds(2)));

        assertTrue(failure.getMessage().startsWith("ldap 127.0.0.1:" + closed + ": 91 (connect error)"),
                failure.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void theSizeLimitCutsALargeAnswerWithoutFailing() throws Exception {
        for (int i = 0; i < 5; i++) {
            slapd.addPerson("person" + i, "person" + i + "@customer.example",
                    der(TestPki.client("person" + i + "@customer.example").build()));
        }
        LdapDirectory everyone = new LdapDirectory(settings(slapd.url(), "(|(mail={0})(objectClass=inetOrgPerson))",
                null, null, 2));

        assertEquals(2, everyone.find(BOB, TIMEOUT).size());
    }

    @Test
    void ldapsIsUsedWithTheServersCertificateTrusted() throws Exception {
        TestPki.Issued bob = TestPki.client(BOB).build();
        slapd.addPerson("bob", BOB, der(bob));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(slapd.ldapsCertificate())) {
            trusted.setCertificateEntry("slapd", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        LdapSettings settings = settings(slapd.ldapsUrl(), "(mail={0})", null, null, 10);

        assertEquals(List.of(bob.certificate()),
                new LdapDirectory(settings, tls.getSocketFactory()).find(BOB, TIMEOUT));
        assertThrows(LookupFailure.class, () -> new LdapDirectory(settings).find(BOB, TIMEOUT),
                "the JDK's trust store does not know the test server");
    }

    @Test
    void theGatewayEncryptsToACertificateOnlyTheDirectoryHasAndSaysWhereItCameFrom() throws Exception {
        TestPki.Issued bob = TestPki.client(BOB).valid(Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(86_400)).build();
        slapd.addPerson("bob", BOB, der(bob));
        TestPki.Issued org = TestPki.client("helpdesk@org.example").valid(Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(86_400)).build();
        Path properties = Files.writeString(dir.resolve("gateway.properties"), "gateway.hostname=gw.test\n"
                + "store.url=jdbc:h2:file:" + dir.resolve("store/gw").toAbsolutePath() + "\n"
                + "store.master.key.file=" + dir.resolve("store/master.key").toAbsolutePath() + "\n"
                + "spool.dir=" + dir.resolve("spool").toAbsolutePath() + "\n"
                + "lookup.ldap.url=" + slapd.url() + "/" + slapd.baseDn() + "\n");
        try (Gateway gateway = Gateway.open(GatewayConfig.load(properties, true), Clock.systemUTC())) {
            gateway.admin().importKey(org.key(), List.of(org.certificate()), "test");
            RawMessage message = RawMessage.parse(("From: helpdesk@org.example\r\nTo: " + BOB + "\r\n"
                    + "Subject: Your contract\r\n\r\nHello\r\n").getBytes(StandardCharsets.US_ASCII));
            Envelope envelope = new Envelope("helpdesk@org.example", List.of(BOB));

            List<String> explained = gateway.processor().explainOutbound(message, envelope, Instant.now());
            OutboundResult.Relay relay = (OutboundResult.Relay) gateway.processor().outbound(message, envelope,
                    Instant.now());

            assertTrue(explained.get(1).startsWith("encrypt to " + BOB + ": if-possible (outbound.encrypt="
                    + "if-possible): certificate " + Fingerprints.sha256(bob.certificate()) + " (ldap, notAfter "),
                    explained.toString());
            assertEquals("signed+encrypted", relay.treatment());
            assertTrue(gateway.audit().recent(10).stream().anyMatch(e -> e.action().equals("cert.lookup")
                    && e.subject().equals(Fingerprints.sha256(bob.certificate()))), "audited");
        }
    }

    @Test
    void anEntryWithDozensOfCertificatesGivesOnlyTheUsableOnesForTheAddress() throws Exception {
        Instant now = Instant.now();
        List<byte[]> certificates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            certificates.add(der(TestPki.client(BOB).valid(now.minusSeconds(60), now.plusSeconds(86_400L * (i + 1)))
                    .build()));
        }
        for (int i = 0; i < 20; i++) {
            certificates.add(der(TestPki.client("someone" + i + "@customer.example").build()));
        }
        certificates.add(der(TestPki.client(BOB).valid(now.minusSeconds(86_400 * 10), now.minusSeconds(86_400))
                .build()));
        slapd.addPerson("bob", BOB, certificates.toArray(byte[][]::new));
        InMemoryCertificateDirectory store = new InMemoryCertificateDirectory();
        RecipientDiscovery discovery = new RecipientDiscovery(List.of(directory()), store, new InMemoryAuditLog(),
                Duration.ofHours(1));

        RecipientDiscovery.Outcome outcome = discovery.discover(BOB, now, TIMEOUT);

        assertEquals(8, outcome.stored());
        assertEquals(8, store.all().size());
        assertTrue(store.all().stream().allMatch(record -> record.source() == CertificateSource.LDAP));
        assertEquals(List.of("ldap: 21 certificates not usable for " + BOB), outcome.notes());
    }
}
