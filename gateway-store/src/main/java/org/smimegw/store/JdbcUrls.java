package org.smimegw.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** What the store needs to know about a JDBC URL: which database, how to show it, how to open H2 files. */
final class JdbcUrls {
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s\"']*");

    /** The databases the migrations are written for. */
    enum Database {
        H2("BLOB"),
        POSTGRESQL("BYTEA");

        /** Column type for large byte values: H2 keeps BINARY VARYING inline, its BLOB streams from disk. */
        final String blobType;

        Database(String blobType) {
            this.blobType = blobType;
        }
    }

    private JdbcUrls() {
    }

    static Database database(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            return Database.H2;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return Database.POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database (only jdbc:h2: and jdbc:postgresql:)");
    }

    /** The URL as it may appear in messages and logs: a {@code password=} parameter is masked. */
    static String redact(String url) {
        return PASSWORD.matcher(url).replaceAll("$1***");
    }

    /**
     * For an H2 file database, the URL with {@code AUTO_SERVER=TRUE} added (so that the command line can open the
     * database while the relay holds it: H2 mixed mode), after creating the file's parent directory. Other URLs
     * are returned unchanged.
     */
    static String prepare(String url) throws IOException {
        Optional<Path> file = h2File(url);
        if (file.isEmpty()) {
            return url;
        }
        Path parent = file.get().toAbsolutePath().getParent();
        if (parent != null && explicitPath(url)) {
            Files.createDirectories(parent);
        }
        if (url.toUpperCase(Locale.ROOT).contains(";AUTO_SERVER=")) {
            return url;
        }
        return url + ";AUTO_SERVER=TRUE";
    }

    /** H2 refuses paths implicitly relative to the working directory; don't leave a directory behind for them. */
    private static boolean explicitPath(String url) {
        String name = url.substring("jdbc:h2:".length()).replaceFirst("(?i)^file:", "");
        return name.startsWith("./") || name.startsWith("../") || name.startsWith("~") || Path.of(name.split(";")[0])
                .isAbsolute();
    }

    /** The database file path of an embedded H2 file URL; empty for mem:, tcp:, ssl: and other databases. */
    static Optional<Path> h2File(String url) {
        if (database(url) != Database.H2) {
            return Optional.empty();
        }
        String name = url.substring("jdbc:h2:".length());
        int semicolon = name.indexOf(';');
        if (semicolon >= 0) {
            name = name.substring(0, semicolon);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:")
                || lower.startsWith("zip:") || lower.startsWith("split:") || lower.startsWith("nio")
                || lower.startsWith("async:") || lower.startsWith("memfs:") || lower.startsWith("memlzf:")) {
            return Optional.empty();
        }
        if (lower.startsWith("file:")) {
            name = name.substring("file:".length());
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(Path.of(name));
    }
}
