package org.smimegw.smtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.smimegw.core.testing.TestPki;

/**
 * An organisation key imported through the command line never shows up in clear: not in the database files, not
 * in any output, log line or audit entry; neither does its PKCS#12 password, right or wrong. The log is captured at
 * every level, so that a debug line would be caught too.
 */
class KeySecrecyTest {
    private static final String PASSWORD = "Orchid-7xQ9-zebra!";
    private static final String WRONG = "Wrong-Horse-4711";

    @TempDir
    Path dir;
    private Cli cli;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private Level rootLevel;
    private final TestPki.Issued identity = TestPki.client("org@example.org").build();

    @BeforeEach
    void captureTheLog() {
        cli = new Cli(dir, TestPki.NOW);
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void restoreTheLog() {
        root.detachAppender(log);
        root.setLevel(rootLevel);
    }

    private Path pkcs12(String name, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("org", identity.key(), password.toCharArray(), new Certificate[] {identity.certificate()});
        Path file = cli.file(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    private Path passwordFile(String password) throws Exception {
        return Files.writeString(cli.file("password-" + password.length() + ".txt"), password + "\n");
    }

    private String logText() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : log.list) {
            text.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
            }
        }
        return text.toString();
    }

    /** The PKCS#8 encoding and the RSA numbers that make up the key, as raw bytes. */
    private List<byte[]> keyMaterial() {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) identity.key();
        List<byte[]> material = new ArrayList<>();
        material.add(key.getEncoded());
        for (BigInteger secret : List.of(key.getPrivateExponent(), key.getPrimeP(), key.getPrimeQ(),
                key.getPrimeExponentP(), key.getCrtCoefficient())) {
            material.add(secret.toByteArray());
        }
        return material;
    }

    /** Texts that would give the key away: hex in either case, base64 from an aligned offset, PEM. */
    private List<String> keyTexts() {
        List<String> texts = new ArrayList<>(List.of("PRIVATE KEY", PASSWORD));
        for (byte[] secret : keyMaterial()) {
            String hex = HexFormat.of().formatHex(secret, 8, 40);
            texts.add(hex);
            texts.add(hex.toUpperCase(Locale.ROOT));
            texts.add(Base64.getEncoder().encodeToString(Arrays.copyOfRange(secret, 9, 42)));
            texts.add(Base64.getEncoder().encodeToString(secret).substring(0, 40));
        }
        return texts;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void importedKeyIsFoundNowhereInClear() throws Exception {
        Cli.Result imported = cli.run("key", "import", pkcs12("org.p12", PASSWORD).toString(),
                "--password-file", passwordFile(PASSWORD).toString());
        assertEquals(0, imported.exit(), imported.toString());
        String fingerprint = cli.run("key", "list").out().lines().findFirst().orElseThrow().split(" ")[0];

        StringBuilder everything = new StringBuilder(imported.out()).append(imported.err());
        for (String[] command : List.of(new String[] {"key", "list"}, new String[] {"key", "list", "--json"},
                new String[] {"cert", "list", "--json"}, new String[] {"cert", "show", fingerprint},
                new String[] {"log"}, new String[] {"log", "--json"})) {
            Cli.Result result = cli.run(command);
            assertEquals(0, result.exit(), String.join(" ", command) + ": " + result);
            everything.append(result.out()).append(result.err());
        }
        everything.append(logText());
        for (String text : keyTexts()) {
            assertFalse(everything.toString().contains(text), "found in the output or the log: " + text);
        }

        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir.resolve("data"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().endsWith(".mv.db")), files.toString());
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (byte[] secret : keyMaterial()) {
                assertFalse(contains(bytes, Arrays.copyOfRange(secret, 8, 40)), "key material in " + file);
            }
            assertFalse(contains(bytes, PASSWORD.getBytes(StandardCharsets.UTF_8)), "password in " + file);
            assertFalse(contains(bytes, PASSWORD.getBytes(StandardCharsets.UTF_16BE)), "password in " + file);
        }
    }

    @Test
    void wrongPasswordIsRefusedWithoutEchoingIt() throws Exception {
        Cli.Result refused = cli.run("key", "import", pkcs12("org.p12", PASSWORD).toString(),
                "--password-file", passwordFile(WRONG).toString());

        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("wrong password"), refused.toString());
        String everything = refused.out() + refused.err() + logText() + cli.run("log", "--json").out();
        assertFalse(everything.contains(WRONG), everything);
        assertFalse(everything.contains(PASSWORD), everything);
    }

    @Test
    void masterKeyFileOthersMayReadStopsEveryCommandNamingTheFix() throws Exception {
        assertEquals(0, cli.run("key", "list").exit());
        Path masterKey = dir.resolve("data/master.key").toAbsolutePath();
        Assumptions.assumeTrue(Files.getFileStore(masterKey).supportsFileAttributeView("posix"));
        Files.setPosixFilePermissions(masterKey, PosixFilePermissions.fromString("rw-r--r--"));

        Cli.Result refused = cli.run("key", "list");

        assertEquals(1, refused.exit(), refused.toString());
        assertEquals(1, refused.err().lines().count(), refused.toString());
        assertTrue(refused.err().contains(masterKey + " has mode 0644"), refused.toString());
        assertTrue(refused.err().strip().endsWith("chmod 600 " + masterKey), refused.toString());
    }
}
