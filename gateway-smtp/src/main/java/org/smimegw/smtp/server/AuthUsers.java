package org.smimegw.smtp.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.smimegw.smtp.config.ConfigException;

/**
 * The users of {@code smtp.auth.users.file}, who may relay from anywhere after AUTH over TLS, or the one admin page
 * user ({@link #single}). One
 * {@code name:bcrypt-hash} per line, as {@code htpasswd -B} writes it ({@code $2y$}, {@code $2a$} or {@code $2b$});
 * {@code #} comments and blank lines are allowed. Read once; a bad line stops start-up naming the file and line,
 * never the hash. An unknown user is checked against a dummy hash of the same cost, so the answer takes about as
 * long as for a known one. Immutable, thread-safe.
 */
public final class AuthUsers {
    /** The cost {@link #hash} uses: 2^12 rounds, about a quarter of a second on a current core. */
    public static final int COST = 12;
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$([0-9]{2})\\$[./A-Za-z0-9]{53}");
    private static final int MAX_PASSWORD_BYTES = 72;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> hashes;
    private final String dummyHash;

    private AuthUsers(Map<String, String> hashes, String dummyHash) {
        this.hashes = Map.copyOf(hashes);
        this.dummyHash = dummyHash;
    }

    /**
     * A bcrypt hash ({@code $2y$}, cost {@value #COST}, random salt) of the password, for a line of the users file.
     *
     * @throws IllegalArgumentException for an empty password or one longer than bcrypt's 72 bytes (UTF-8)
     */
    public static String hash(char[] password) {
        byte[] bytes = utf8(password);
        try {
            if (bytes.length == 0) {
                throw new IllegalArgumentException("the password is empty");
            }
            if (bytes.length > MAX_PASSWORD_BYTES) {
                throw new IllegalArgumentException("the password is longer than bcrypt's " + MAX_PASSWORD_BYTES
                        + " bytes; the rest would be ignored");
            }
            return generate(password, COST);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Reads the users file; {@link ConfigException} names the file and line of the first problem. */
    static AuthUsers load(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException("smtp.auth.users.file: " + file + " not found");
        } catch (CharacterCodingException e) {
            throw new ConfigException("smtp.auth.users.file: " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("smtp.auth.users.file: cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> hashes = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        int maxCost = 4;
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw problem(file, number, "expected name:bcrypt-hash");
            }
            String name = line.substring(0, colon);
            if (!name.codePoints().allMatch(c -> c > 0x20 && c != 0x7f && !Character.isWhitespace(c)
                    && !Character.isISOControl(c))) {
                throw problem(file, number, "the user name contains a space or a control character");
            }
            Matcher hash = BCRYPT.matcher(line.substring(colon + 1).strip());
            if (!hash.matches()) {
                throw problem(file, number, "the password of user " + name
                        + " is not a bcrypt hash ($2y$, $2a$ or $2b$, as htpasswd -B writes it)");
            }
            int cost = Integer.parseInt(hash.group(1));
            if (cost < 4 || cost > 31) {
                throw problem(file, number, "the bcrypt cost of user " + name + " must be 04-31");
            }
            Integer first = lineOf.putIfAbsent(name, number);
            if (first != null) {
                throw problem(file, number, "user " + name + " appears twice (first on line " + first + ")");
            }
            hashes.put(name, hash.group());
            maxCost = Math.max(maxCost, cost);
        }
        if (hashes.isEmpty()) {
            throw new ConfigException("smtp.auth.users.file: " + file + " lists no users");
        }
        return new AuthUsers(hashes, dummyHash(maxCost));
    }

    private static String dummyHash(int cost) {
        char[] random = new char[16];
        for (int i = 0; i < random.length; i++) {
            random[i] = (char) ('a' + RANDOM.nextInt(26));
        }
        return generate(random, cost);
    }

    /**
     * One user with a bcrypt hash that has already been validated (as {@code admin.password.hash} is); the dummy
     * hash for other names has the same cost.
     */
    public static AuthUsers single(String user, String bcryptHash) {
        Matcher hash = BCRYPT.matcher(bcryptHash);
        if (!hash.matches()) {
            throw new IllegalArgumentException("not a bcrypt hash");
        }
        return new AuthUsers(Map.of(user, bcryptHash), dummyHash(Integer.parseInt(hash.group(1))));
    }

    /** True when the user exists and the password matches; takes about as long either way. */
    public boolean check(String user, char[] password) {
        String hash = hashes.get(user);
        boolean matches;
        try {
            matches = OpenBSDBCrypt.checkPassword(hash != null ? hash : dummyHash, password);
        } catch (RuntimeException e) {
            matches = false;
        }
        return hash != null && matches;
    }

    int size() {
        return hashes.size();
    }

    @Override
    public String toString() {
        return "AuthUsers[" + hashes.size() + " users]";
    }

    private static String generate(char[] password, int cost) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password, salt, cost);
    }

    private static ConfigException problem(Path file, int line, String what) {
        return new ConfigException("smtp.auth.users.file: " + file + " line " + line + ": " + what);
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }
}
