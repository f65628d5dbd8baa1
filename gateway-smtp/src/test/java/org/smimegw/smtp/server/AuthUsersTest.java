package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.smtp.config.ConfigException;

class AuthUsersTest {
    @TempDir
    Path dir;

    /** A cheap hash (cost 4) in the given htpasswd version, so the tests stay fast. */
    static String quickHash(String version, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate(version, password.toCharArray(), salt, 4);
    }

    @Test
    void readsUsersWithCommentsAndBlankLinesInEveryHtpasswdVersion() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "# helpdesk accounts\n\nzammad:" + quickHash("2y", "s3cret")
                + "\r\n  ops:" + quickHash("2a", "other") + "  \nlegacy:" + quickHash("2b", "third") + "\n");
        AuthUsers users = AuthUsers.load(file);
        assertEquals(3, users.size());
        assertTrue(users.check("zammad", "s3cret".toCharArray()));
        assertFalse(users.check("zammad", "S3cret".toCharArray()));
        assertTrue(users.check("ops", "other".toCharArray()));
        assertTrue(users.check("legacy", "third".toCharArray()));
        assertFalse(users.check("nobody", "s3cret".toCharArray()));
        assertFalse(users.check("Zammad", "s3cret".toCharArray()));
        assertFalse(users.check("zammad", new char[0]));
    }

    @Test
    void hashesWithCostTwelveInTheHtpasswdFormat() {
        String hash = AuthUsers.hash("correct horse".toCharArray());
        assertTrue(hash.startsWith("$2y$12$"), hash);
        assertEquals(60, hash.length());
        assertTrue(OpenBSDBCrypt.checkPassword(hash, "correct horse".toCharArray()));
        assertFalse(hash.equals(AuthUsers.hash("correct horse".toCharArray())), "salted");
        assertThrows(IllegalArgumentException.class, () -> AuthUsers.hash(new char[0]));
        assertThrows(IllegalArgumentException.class, () -> AuthUsers.hash("x".repeat(73).toCharArray()));
    }

    @Test
    void namesTheFileAndLineOfABadLineWithoutPrintingTheHash() throws Exception {
        String hash = quickHash("2y", "pw");
        String truncated = hash.substring(0, 40);
        assertProblem("alice:" + hash + "\n# ok\nbob:" + truncated + "\n",
                "line 3: the password of user bob is not a bcrypt hash", truncated);
        assertProblem("alice " + hash + "\n", "line 1: expected name:bcrypt-hash", hash);
        assertProblem("alice:" + hash + "\nalice:" + hash + "\n", "line 2: user alice appears twice (first on line 1)",
                hash);
        assertProblem("al ice:" + hash + "\n", "line 1: the user name contains a space", hash);
        assertProblem("carol:$1$md5crypt$abcdefghijklmnopqrstuv\n", "line 1: the password of user carol", "md5crypt");
        assertProblem("carol:plaintext\n", "line 1: the password of user carol", "plaintext");
        assertProblem(":" + hash + "\n", "line 1: expected name:bcrypt-hash", hash);
        assertProblem("# nobody\n", "lists no users", "#");
    }

    @Test
    void failsWhenTheFileIsMissing() {
        Path missing = dir.resolve("missing-users");
        ConfigException e = assertThrows(ConfigException.class, () -> AuthUsers.load(missing));
        assertEquals("smtp.auth.users.file: " + missing + " not found", e.getMessage());
    }

    private void assertProblem(String content, String expected, String secret) throws Exception {
        Path file = Files.writeString(dir.resolve("users"), content);
        ConfigException e = assertThrows(ConfigException.class, () -> AuthUsers.load(file));
        assertTrue(e.getMessage().startsWith("smtp.auth.users.file: " + file), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }
}
