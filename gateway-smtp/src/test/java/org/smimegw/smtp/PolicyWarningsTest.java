package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.testing.InMemoryCertificateDirectory;
import org.smimegw.core.testing.InMemoryPrivateKeyRepository;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.config.GatewayConfig;

/** docs/design.md §13: {@code run} warns, naming the key, about a required policy nothing stored can meet. */
class PolicyWarningsTest {
    @TempDir
    Path dir;
    private final InMemoryCertificateDirectory certificates = new InMemoryCertificateDirectory();
    private final InMemoryPrivateKeyRepository keys = new InMemoryPrivateKeyRepository();

    private List<String> warnings(String properties) throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.properties"), properties);
        return PolicyWarnings.of(GatewayConfig.load(file, true, Map.of(), new Properties()), certificates, keys,
                TestPki.NOW);
    }

    @Test
    void requiredSigningWithoutAnOrganisationKeyIsNamed() throws Exception {
        assertEquals(List.of("outbound.sign=required, but no organisation key valid now is stored: every outbound "
                + "message will be refused until one is (key import FILE)"), warnings(""));

        TestPki.Issued org = TestPki.client("helpdesk@org.example").build();
        certificates.add(org.certificate(), CertificateKind.CLIENT);
        keys.put(Fingerprints.sha256(org.certificate()), org.key());
        assertEquals(List.of(), warnings(""));
        assertEquals(List.of(), warnings("outbound.sign=if-possible\n"));
    }

    @Test
    void requiredEncryptionWithoutAnyCertificateOrLookupIsNamed() throws Exception {
        assertEquals(List.of("outbound.encrypt=required, but no recipient certificate valid now is stored and no "
                + "lookup is configured: every outbound message will be refused (cert import FILE, or "
                + "lookup.ldap.url)", "outbound.encrypt.required.for=bank.example, but no certificate valid now is "
                + "stored for it and no lookup is configured: mail to it will be refused"),
                warnings("outbound.sign=never\noutbound.encrypt=required\n"
                        + "outbound.encrypt.required.for=bank.example\n"));

        certificates.add(TestPki.client("clerk@branch.bank.example").build().certificate(), CertificateKind.CLIENT);
        assertEquals(List.of(), warnings("outbound.sign=never\noutbound.encrypt=required\n"
                + "outbound.encrypt.required.for=bank.example\n"));
        assertEquals(List.of(), warnings("outbound.sign=never\noutbound.encrypt.required.for=other.example\n"
                + "lookup.ldap.url=ldap://directory.example/dc=example\n"), "a lookup may find one");
    }
}
