package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.CertificateSource;
import org.smimegw.core.cert.Fingerprints;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.testing.TestPki;

/** Opening, reopening and sharing a store; H2 URL handling. */
class StoreTest {
    @TempDir
    Path dir;

    private StoreSettings h2(String name) {
        return new StoreSettings("jdbc:h2:file:" + dir.resolve("data").resolve(name), "sa", "",
                dir.resolve("data").resolve("master.key"));
    }

    @Test
    void failureToOpenNamesTheUrlWithoutThePasswordOnOneLine() {
        StoreSettings settings = new StoreSettings("jdbc:postgresql://127.0.0.1:1/test?user=x&password=secret",
                "x", "secret", dir.resolve("master.key"));

        StoreException refused = assertThrows(StoreException.class, () -> Store.open(settings));

        String message = refused.getMessage();
        assertTrue(message.startsWith("cannot open store jdbc:postgresql://127.0.0.1:1/test?user=x&password=*** : ")
                || message.startsWith("cannot open store jdbc:postgresql://127.0.0.1:1/test?user=x&password=***: "),
                message);
        assertFalse(message.contains("secret"), message);
        assertFalse(message.contains("\n"), message);
        assertFalse(Files.exists(dir.resolve("master.key")), "no master key is made for a store that did not open");
    }

    @Test
    void unsupportedDatabaseIsRefusedNamingTheUrl() {
        StoreSettings settings = new StoreSettings("jdbc:mysql://db/gateway", "sa", "", dir.resolve("master.key"));

        StoreException refused = assertThrows(StoreException.class, () -> Store.open(settings));

        assertEquals("cannot open store jdbc:mysql://db/gateway: unsupported database"
                + " (only jdbc:h2: and jdbc:postgresql:)", refused.getMessage());
    }

    @Test
    void settingsNeverShowThePassword() {
        StoreSettings settings = new StoreSettings("jdbc:postgresql://db/gw?password=hunter2", "gw", "hunter2",
                Path.of("master.key"));

        assertFalse(settings.toString().contains("hunter2"), settings.toString());
    }

    @Test
    void h2FileUrlGetsMixedModeAndItsDirectoryIsCreated() throws Exception {
        Path file = dir.resolve("a").resolve("b").resolve("gateway");

        assertEquals("jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0",
                JdbcUrls.prepare("jdbc:h2:file:" + file));
        assertTrue(Files.isDirectory(file.getParent()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("jdbc:h2:" + file + ";auto_server=false;WRITE_DELAY=0",
                JdbcUrls.prepare("jdbc:h2:" + file + ";auto_server=false"));
        assertEquals("jdbc:h2:" + file + ";write_delay=200;AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE",
                JdbcUrls.prepare("jdbc:h2:" + file + ";write_delay=200"));
        assertEquals("jdbc:h2:mem:x", JdbcUrls.prepare("jdbc:h2:mem:x"));
        assertEquals("jdbc:h2:tcp://localhost/x", JdbcUrls.prepare("jdbc:h2:tcp://localhost/x"));
        assertEquals("jdbc:postgresql://db/x", JdbcUrls.prepare("jdbc:postgresql://db/x"));
    }

    @Test
    void existingDataDirectoryKeepsTheOperatorsPermissions() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));

        JdbcUrls.prepare("jdbc:h2:file:" + shared.resolve("gateway"));

        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    }

    @Test
    void reopenedStoreKeepsItsCertificatesKeysAndLog() {
        TestPki.Issued org = TestPki.client("org@example.com").build();
        String fingerprint;
        try (Store store = Store.open(h2("gateway"))) {
            fingerprint = store.certificates().add(org.certificate(), CertificateKind.CLIENT).fingerprint();
            store.privateKeys().put(fingerprint, org.key());
            store.auditLog().record(new AuditEvent(TestPki.NOW, "key.import", fingerprint, "imported", null));
        }

        try (Store store = Store.open(h2("gateway"))) {
            assertEquals(List.of(fingerprint),
                    store.certificates().findByEmail("org@example.com").stream().map(CertificateRecord::fingerprint)
                            .toList());
            assertTrue(store.privateKeys().find(fingerprint).isPresent());
            assertEquals(1, store.auditLog().recent(5).size());
        }
    }

    @Test
    void twoStoresOnOneH2FileSeeEachOthersChangesAtOnce() {
        TestPki.Issued ca = TestPki.ca("Shared Root");
        try (Store relay = Store.open(h2("shared")); Store commandLine = Store.open(h2("shared"))) {
            CertificateRecord added = commandLine.certificates().add(ca.certificate(), CertificateKind.CA);

            assertTrue(relay.certificates().findByFingerprint(added.fingerprint()).isPresent());
            assertTrue(commandLine.certificates().delete(added.fingerprint()));
            assertTrue(relay.certificates().findByFingerprint(added.fingerprint()).isEmpty());
        }
    }

    @Test
    void certificatesStoredBeforeSourcesExistedAreImported() throws Exception {
        TestPki.Issued old = TestPki.client("old@example.com").build();
        String fingerprint = Fingerprints.sha256(old.certificate());
        String url = h2("legacy").url();
        Flyway.configure(Store.class.getClassLoader()).dataSource(url, "sa", "").locations("classpath:db/migration")
                .placeholders(Map.of("blob", JdbcUrls.Database.H2.blobType)).target("5").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             PreparedStatement statement = connection.prepareStatement("INSERT INTO certificates (fingerprint, kind,"
                     + " subject, issuer, serial_hex, not_before, not_after, ca, key_usage, der, created_at)"
                     + " VALUES (?, 'client', 'CN=old', 'CN=old', '1', ?, ?, FALSE, '', ?, ?)")) {
            statement.setString(1, fingerprint);
            Sql.setInstant(statement, 2, old.certificate().getNotBefore().toInstant());
            Sql.setInstant(statement, 3, old.certificate().getNotAfter().toInstant());
            statement.setBytes(4, old.certificate().getEncoded());
            Sql.setInstant(statement, 5, TestPki.NOW);
            statement.executeUpdate();
        }

        try (Store store = Store.open(h2("legacy"))) {
            assertEquals(CertificateSource.IMPORTED,
                    store.certificates().findByFingerprint(fingerprint).orElseThrow().source());
        }
    }

    @Test
    void masterKeyCheckFindsAMasterKeyThatDoesNotMatchTheStore() {
        TestPki.Issued org = TestPki.client("org@example.com").ec().build();
        String fingerprint;
        try (Store store = Store.open(h2("gateway"))) {
            fingerprint = store.certificates().add(org.certificate(), CertificateKind.CLIENT).fingerprint();
            store.privateKeys().put(fingerprint, org.key());
            store.checkMasterKey();
        }
        StoreSettings otherKey = new StoreSettings(h2("gateway").url(), "sa", "", dir.resolve("fresh.key"));

        try (Store store = Store.open(otherKey)) {
            StoreException refused = assertThrows(StoreException.class, store::checkMasterKey);

            assertTrue(refused.getMessage().contains(fingerprint), refused.getMessage());
            assertTrue(refused.getMessage().contains(dir.resolve("fresh.key").toString()), refused.getMessage());
            assertEquals(1, store.certificates().all().size(), "commands that need no key still work");
        }
    }
}
