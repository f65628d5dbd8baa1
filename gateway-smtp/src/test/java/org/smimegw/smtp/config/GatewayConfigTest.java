package org.smimegw.smtp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.smimegw.core.helpdesk.HelpdeskSettings;
import org.smimegw.core.helpdesk.SubjectTags;
import org.smimegw.core.inbound.HarvestMode;
import org.smimegw.core.revocation.RevocationMode;
import org.smimegw.core.revocation.RevocationSettings;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.mime.SpoolSettings;
import org.smimegw.core.outbound.HeaderProtection;
import org.smimegw.core.outbound.PolicyMode;
import org.smimegw.core.smime.SmimeAlgorithms;

class GatewayConfigTest {
    @TempDir
    Path dir;

    private GatewayConfig load(String content, Map<String, String> env, Properties system) throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.properties"), content);
        return GatewayConfig.load(file, true, env, system);
    }

    private String error(String content) {
        return assertThrows(ConfigException.class, () -> load(content, Map.of(), new Properties())).getMessage();
    }

    @Test
    void defaultsMatchTheContract() throws Exception {
        GatewayConfig config = load("", Map.of(), new Properties());
        // the defaults' relative paths are the file's: beside it
        String base = dir.toAbsolutePath().toString();
        assertEquals("jdbc:h2:file:" + base + "/data/gateway", config.storeUrl());
        assertEquals("sa", config.storeUser());
        assertEquals(dir.toAbsolutePath().resolve("data/master.key"), config.masterKeyFile());
        assertEquals(10, config.storePoolSize());
        assertEquals(new HostPort("127.0.0.1", 10025), config.outboundListen());
        assertEquals(new HostPort("127.0.0.1", 25), config.outboundRelay());
        assertEquals(new HostPort("127.0.0.1", 10026), config.inboundListen());
        assertEquals(new HostPort("127.0.0.1", 2525), config.inboundRelay());
        assertEquals(List.of("127.0.0.1/32", "::1/128"), config.allowedClients());
        assertEquals(52428800L, config.maxMessageBytes());
        assertEquals(PolicyMode.REQUIRED, config.outboundSign());
        assertEquals(PolicyMode.IF_POSSIBLE, config.outboundEncrypt());
        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1),
                Duration.ofHours(4)), config.retryIntervals());
        assertEquals(Duration.ofDays(5), config.maxAge());
        assertEquals(new HostPort("127.0.0.1", 8025), config.admin().listen());
        assertEquals(SmimeAlgorithms.defaults(), config.algorithms());
        assertEquals(new ListenerSettings(false, java.util.Optional.empty(), 1000, 100, Duration.ofMinutes(5)),
                config.listeners());
        assertEquals(new DeliverySettings(RelayTls.STARTTLS, RelayTls.STARTTLS, Duration.ofSeconds(30),
                Duration.ofMinutes(5), Math.max(4, 4 * Runtime.getRuntime().availableProcessors()),
                Duration.ofMinutes(1)), config.delivery());
        assertEquals(new SpoolSettings(dir.toAbsolutePath().resolve("data/spool"), 1048576), config.spool());
        assertEquals(CryptoProvider.AUTO, config.cryptoProvider());
    }

    @Test
    void deliveryWorkersAreANumberOrAuto() throws Exception {
        assertEquals(7, load("delivery.workers=7\n", Map.of(), new Properties()).delivery().workers());
        assertEquals(DeliverySettings.autoWorkers(),
                load("delivery.workers=AUTO\n", Map.of(), new Properties()).delivery().workers());
    }

    @Test
    void storePoolSizeReachesTheStoreSettings() throws Exception {
        GatewayConfig config = load("store.pool.size=25\n", Map.of(), new Properties());

        assertEquals(25, config.store().poolSize());
        assertEquals(config.storeUrl(), config.store().url());
        assertEquals(config.masterKeyFile(), config.store().masterKeyFile());
    }

    @Test
    void leaseTimeShorterThanThreeSecondsIsRefused() throws Exception {
        assertEquals("delivery.lease.time: '2s' is shorter than 3s (the lease is renewed every third of it)",
                error("delivery.lease.time=2s\n"));
        assertEquals(Duration.ofSeconds(3), load("delivery.lease.time=3s\n", Map.of(), new Properties()).delivery()
                .leaseTime());
    }

    @Test
    void cryptoProviderIsAutoOrJdk() throws Exception {
        assertEquals(CryptoProvider.JDK, load("crypto.provider=jdk\n", Map.of(), new Properties()).cryptoProvider());
        assertEquals(CryptoProvider.JDK, load("", Map.of("SMIMEGW_CRYPTO_PROVIDER", "JDK"), new Properties())
                .cryptoProvider());
        assertEquals("crypto.provider: 'bc' is not auto or jdk", error("crypto.provider=bc\n"));
    }

    @Test
    void lifecycleKeysHaveTheirDefaultsAndBadValuesNameTheKey() throws Exception {
        LifecycleSettings defaults = load("", Map.of(), new Properties()).lifecycle();
        assertEquals(RevocationSettings.DEFAULTS, defaults.revocation());
        assertEquals(HarvestMode.TRUSTED, defaults.harvest());
        assertEquals(RevocationMode.HARD, load("revocation.check=Hard\n", Map.of(), new Properties()).lifecycle()
                .revocation().mode());
        assertEquals("revocation.check: 'maybe' is not soft, hard or off", error("revocation.check=maybe\n"));
        assertEquals("inbound.harvest: 'all' is not trusted, pending or off", error("inbound.harvest=all\n"));
        assertEquals("revocation.timeout: '5' is not a duration such as 30s, 5m, 1h or 5d",
                error("revocation.timeout=5\n"));
        assertEquals("revocation.crl.max.bytes: '0' is not a positive whole number",
                error("revocation.crl.max.bytes=0\n"));
    }

    @Test
    void helpdeskKeysHaveTheirDefaultsAndBadValuesNameTheKey() throws Exception {
        HelpdeskSettings defaults = load("", Map.of(), new Properties()).helpdesk();
        assertEquals(HelpdeskSettings.DEFAULTS, defaults);
        assertTrue(defaults.stripHeaders().matches("X-OTOBO-Queue"));
        assertFalse(defaults.subjectTags().on());
        HelpdeskSettings configured = load("inbound.strip.headers=\ninbound.subject.tag=ON\n"
                + "inbound.subject.tag.pass=[S/MIME geprüft]\n", Map.of(), new Properties()).helpdesk();
        assertTrue(configured.stripHeaders().isEmpty());
        assertEquals(new SubjectTags(true, "[S/MIME geprüft]", SubjectTags.FAIL, SubjectTags.POLICY,
                SubjectTags.DECRYPTED), configured.subjectTags());
        assertEquals("inbound.strip.headers: 'X-*-Queue': * may only end a pattern",
                error("inbound.strip.headers=X-Zammad-*,X-*-Queue\n"));
        assertEquals("inbound.strip.headers: '*' would match every header field; name at least the start of the fields",
                error("inbound.strip.headers=*\n"));
        assertEquals("inbound.subject.tag: 'yes' is not on or off", error("inbound.subject.tag=yes\n"));
        assertEquals("inbound.subject.tag.fail: '' shows nothing: a tag needs visible characters",
                error("inbound.subject.tag.fail=\n"));
    }

    @Test
    void policyRuleKeysParseAndBadEntriesNameTheKey() throws Exception {
        GatewayConfig config = load("outbound.encrypt.required.for=Bank.example, vip@customer.example\n"
                + "outbound.encrypt.never.for=robot@bank.example\noutbound.encrypt.subject.trigger=[secure]\n"
                + "outbound.header.protection=OBSCURE\n", Map.of(), new Properties());
        assertEquals(List.of("bank.example", "vip@customer.example"),
                config.outboundPolicy().encryptRequiredFor().entries());
        assertEquals(Optional.of("[secure]"), config.outboundPolicy().subjectTrigger());
        assertEquals(HeaderProtection.OBSCURE, config.headerProtection());
        assertEquals(HeaderProtection.PROTECT, load("", Map.of(), new Properties()).headerProtection());
        assertEquals("outbound.encrypt.required.for: '*.bank.example' is neither an address (user@example.com) nor a "
                + "domain (example.com)", error("outbound.encrypt.required.for=*.bank.example\n"));
        assertEquals("outbound.sign.never.for: '@org.example' is neither an address (user@example.com) nor a "
                + "domain (example.com)", error("outbound.sign.never.for=@org.example\n"));
        assertEquals("outbound.encrypt.required.for and outbound.encrypt.never.for: bank.example cannot be both "
                + "required and never", error("outbound.encrypt.required.for=bank.example\n"
                        + "outbound.encrypt.never.for=BANK.example\n"));
        assertEquals("outbound.header.protection: 'maybe' is not protect, obscure or off",
                error("outbound.header.protection=maybe\n"));
    }

    @Test
    void lookupKeysParseAndBadValuesNameTheKey() throws Exception {
        LookupSettings defaults = load("", Map.of(), new Properties()).lookup();
        assertEquals(Optional.empty(), defaults.ldap());
        assertEquals(Duration.ofSeconds(5), defaults.timeout());
        assertEquals(Duration.ofHours(1), defaults.negativeTtl());
        Path password = Files.writeString(dir.resolve("ldap.password"), "s3cret\nignored\n");
        LdapSettingsView ldap = new LdapSettingsView(load("lookup.ldap.url=ldaps://directory.example/ou=people,"
                + "dc=example,dc=org\nlookup.ldap.bind.dn=cn=gateway,dc=example,dc=org\n"
                + "lookup.ldap.bind.password.file=" + password + "\n", Map.of(), new Properties()).lookup());
        assertEquals("directory.example:636 ou=people,dc=example,dc=org s3cret", ldap.summary());
        assertEquals("lookup.ldap.url: 'http://directory.example/' is not an LDAP URL such as "
                + "ldap://directory.example:389/ou=people,dc=example,dc=org",
                error("lookup.ldap.url=http://directory.example/\n"));
        assertEquals("lookup.ldap.url: 'ldap://directory.example' needs ldap:// or ldaps:// and a base DN, as in "
                + "ldap://directory.example:389/ou=people,dc=example,dc=org",
                error("lookup.ldap.url=ldap://directory.example\n"));
        assertEquals("lookup.ldap.filter: '(mail=someone)' is not an LDAP filter with {0} for the address, such as "
                + "(mail={0})",
                error("lookup.ldap.url=ldap://d.example/dc=example\nlookup.ldap.filter=(mail=someone)\n"));
        assertEquals("lookup.ldap.bind.dn: needs lookup.ldap.bind.password.file",
                error("lookup.ldap.url=ldap://d.example/dc=example\nlookup.ldap.bind.dn=cn=x\n"));
        assertTrue(error("lookup.ldap.url=ldap://d.example/dc=example\nlookup.ldap.bind.dn=cn=x\n"
                + "lookup.ldap.bind.password.file=/nonexistent/pw\n")
                .startsWith("lookup.ldap.bind.password.file: cannot read /nonexistent/pw"));
        assertEquals("lookup.timeout: '5' is not a duration such as 30s, 5m, 1h or 5d", error("lookup.timeout=5\n"));
        assertEquals(Optional.empty(), defaults.daneResolver());
        assertEquals(Optional.of(new HostPort("127.0.0.1", 5353)), load("lookup.dane=on\n"
                + "lookup.dns.resolver=127.0.0.1:5353\n", Map.of(), new Properties()).lookup().daneResolver());
        assertEquals("lookup.dane: 'yes' is not on or off", error("lookup.dane=yes\n"));
        assertTrue(error("lookup.dane=on\nlookup.dns.resolver=resolver\n").startsWith("lookup.dns.resolver:"));
    }

    /** The parts of the LDAP settings a test compares. */
    private record LdapSettingsView(LookupSettings lookup) {
        String summary() {
            var ldap = lookup.ldap().orElseThrow();
            return ldap.url().getHost() + ":" + ldap.url().getPort() + " " + ldap.url().getBaseDN() + " "
                    + ldap.password();
        }
    }

    @Test
    void shippedPropertiesFileLoadsAndEqualsTheDefaults() {
        Path shipped = Path.of("../config/gateway.properties");
        GatewayConfig fromFile = GatewayConfig.load(shipped, true, Map.of(), new Properties());
        // the shipped file keeps the data in the installation's data/, beside config/: where the defaults put it
        // for a file in the installation's own directory
        GatewayConfig defaults = GatewayConfig.load(Path.of("../absent.properties"), false, Map.of(),
                new Properties());
        assertEquals(defaults.withoutHostname(), fromFile.withoutHostname());
        assertEquals(Path.of("..").toAbsolutePath().normalize().resolve("data/master.key"), fromFile.masterKeyFile());
    }

    @Test
    void relativePathsInTheFileAreTheFilesAndThoseOfTheEnvironmentTheWorkingDirectorys() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "secret\n");
        GatewayConfig config = load("store.url=jdbc:h2:file:../elsewhere/gateway;MODE=Regular\n"
                + "store.master.key.file=keys/master.key\nspool.dir=./spool\n"
                + "smtp.tls.certificate=tls/cert.pem\nsmtp.tls.key=/etc/ssl/key.pem\n"
                + "smtp.auth.users.file=" + users.getFileName() + "\n"
                + "lookup.ldap.url=ldap://127.0.0.1:389/dc=example\nlookup.ldap.bind.dn=cn=gw\n"
                + "lookup.ldap.bind.password.file=" + users.getFileName() + "\n", Map.of(), new Properties());
        Path base = dir.toAbsolutePath();
        assertEquals("jdbc:h2:file:" + base.getParent().resolve("elsewhere/gateway") + ";MODE=Regular",
                config.storeUrl());
        assertEquals(base.resolve("keys/master.key"), config.masterKeyFile());
        assertEquals(base.resolve("spool"), config.spool().directory());
        assertEquals(Optional.of(base.resolve("tls/cert.pem")), config.tlsCertificate());
        assertEquals(Optional.of(Path.of("/etc/ssl/key.pem")), config.tlsKey());
        assertEquals(Optional.of(base.resolve("users")), config.listeners().authUsersFile());

        GatewayConfig fromEnvironment = load("", Map.of("SMIMEGW_STORE_URL", "jdbc:h2:file:./env/gateway",
                "SMIMEGW_SPOOL_DIR", "env/spool"), new Properties());
        assertEquals("jdbc:h2:file:./env/gateway", fromEnvironment.storeUrl());
        assertEquals(Path.of("env/spool"), fromEnvironment.spool().directory());
        for (String url : List.of("jdbc:h2:mem:test", "jdbc:h2:tcp://127.0.0.1/x", "jdbc:h2:file:~/gateway",
                "jdbc:postgresql://127.0.0.1:5432/gateway")) {
            assertEquals(url, load("store.url=" + url + "\n", Map.of(), new Properties()).storeUrl(), url);
        }
    }

    @Test
    void unknownKeyStopsNamingTheKey() {
        assertTrue(error("store.uri=jdbc:h2:mem:x\n").contains("unknown key store.uri"));
    }

    @Test
    void badValuesNameTheKey() {
        assertTrue(error("outbound.sign=always\n").startsWith("outbound.sign:"));
        assertTrue(error("outbound.listen=localhost\n").startsWith("outbound.listen:"));
        assertTrue(error("outbound.relay=host:99999\n").startsWith("outbound.relay:"));
        assertTrue(error("smtp.max.message.bytes=-1\n").startsWith("smtp.max.message.bytes:"));
        assertTrue(error("delivery.retry.intervals=1m,soon\n").startsWith("delivery.retry.intervals:"));
        assertTrue(error("smtp.allowed.clients=10.0.0.0/33\n").startsWith("smtp.allowed.clients:"));
        assertTrue(error("smime.cipher=des\n").startsWith("smime.cipher:"));
        assertTrue(error("smtp.tls.certificate=cert.pem\n").startsWith("smtp.tls.key:"));
        assertTrue(error("smtp.tls.required=true\n").startsWith("smtp.tls.required: needs smtp.tls.certificate"));
        assertTrue(error("smtp.auth.users.file=users\n").startsWith("smtp.auth.users.file: AUTH is only offered"));
        assertTrue(error("smtp.tls.required=maybe\n").startsWith("smtp.tls.required:"));
        assertTrue(error("smtp.max.recipients=0\n").startsWith("smtp.max.recipients:"));
        assertTrue(error("smtp.max.connections=99999999999\n").startsWith("smtp.max.connections:"));
        assertTrue(error("smtp.timeout=5\n").startsWith("smtp.timeout:"));
        assertTrue(error("outbound.relay.tls=may\n").startsWith("outbound.relay.tls:"));
        assertTrue(error("inbound.relay.tls=\n").startsWith("inbound.relay.tls:"));
        assertTrue(error("delivery.workers=none\n").startsWith("delivery.workers:"));
        assertTrue(error("delivery.workers=0\n").startsWith("delivery.workers:"));
        assertTrue(error("delivery.lease.time=0m\n").startsWith("delivery.lease.time:"));
        assertTrue(error("store.pool.size=0\n").startsWith("store.pool.size:"));
        assertTrue(error("store.pool.size=many\n").startsWith("store.pool.size:"));
        assertTrue(error("delivery.connect.timeout=x\n").startsWith("delivery.connect.timeout:"));
        assertTrue(error("spool.dir=\n").startsWith("spool.dir:"));
        assertTrue(error("spool.memory.limit=0\n").startsWith("spool.memory.limit:"));
    }

    @Test
    void environmentOverridesFileAndSystemPropertyOverridesEnvironment() throws Exception {
        Properties system = new Properties();
        GatewayConfig fromEnv = load("store.user=file\n", Map.of("SMIMEGW_STORE_USER", "env"), system);
        assertEquals("env", fromEnv.storeUser());
        system.setProperty("store.user", "system");
        assertEquals("system", load("store.user=file\n", Map.of("SMIMEGW_STORE_USER", "env"), system).storeUser());
    }

    @Test
    void unknownGatewayEnvironmentVariableFailsNamingIt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("", Map.of("SMIMEGW_STORE_USR", "typo", "PATH", "/bin"), new Properties()));
        assertEquals("environment variable SMIMEGW_STORE_USR: unknown key", e.getMessage());
    }

    @Test
    void selectsAlgorithmsByConfiguration() throws Exception {
        SmimeAlgorithms algorithms = load("smime.digest=SHA-512\nsmime.cipher=aes-256-gcm\n"
                + "smime.rsa.key.transport=oaep\n", Map.of(), new Properties()).algorithms();
        assertEquals(SmimeAlgorithms.Digest.SHA512, algorithms.digest());
        assertEquals(SmimeAlgorithms.ContentCipher.AES256_GCM, algorithms.contentCipher());
        assertEquals(SmimeAlgorithms.KeyTransport.RSA_OAEP, algorithms.keyTransport());
    }

    @Test
    void explicitConfigFileMustExist() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> GatewayConfig.load(dir.resolve("missing.properties"), true, Map.of(), new Properties()));
        assertTrue(e.getMessage().contains("missing.properties not found"));
    }
}
