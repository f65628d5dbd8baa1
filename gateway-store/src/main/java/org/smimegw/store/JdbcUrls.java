package org.smimegw.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** What the store needs to know about a JDBC URL: which database, how to show it, how to open H2 files. */
public final class JdbcUrls {
    private static final String H2_BIND_ADDRESS = "h2.bindAddress";
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
     * For an H2 file database, the URL with {@code AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE} added (so that the command
     * line can open the database while the relay holds it: H2 mixed mode) and {@code WRITE_DELAY=0} (so that a
     * commit is in the file when it returns), each unless the URL names it already, after creating the file's parent
     * directory (owner only). Other URLs are returned unchanged.
     */
    static String prepare(String url) throws IOException {
        Optional<String> name = h2FileName(url);
        if (name.isEmpty()) {
            return url;
        }
        Path file = Path.of(name.get().startsWith("~")
                ? System.getProperty("user.home") + name.get().substring(1) : name.get());
        // H2 refuses a path implicitly relative to the working directory: leave no directory behind for it
        boolean explicit = file.isAbsolute() || name.get().startsWith("./") || name.get().startsWith("../");
        Path parent = file.toAbsolutePath().getParent();
        if (explicit && parent != null) {
            PrivateDirectories.create(parent);
        }
        // H2's mixed-mode server accepts remote connections on every interface unless told otherwise; the other
        // process is always on this host. Read by H2 once, when it first loads, so -Dh2.bindAddress still wins.
        if (System.getProperty(H2_BIND_ADDRESS) == null) {
            System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
        }
        String upper = url.toUpperCase(Locale.ROOT);
        String prepared = url;
        if (!upper.contains(";AUTO_SERVER=")) {
            // a connection served by another process breaks when that process exits: let the driver reconnect
            prepared += ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE";
        }
        if (!upper.contains(";WRITE_DELAY=")) {
            // H2 writes a commit to the file up to 500 ms later by default: a crash in between loses a message the
            // gateway has already answered 250 for (H2DurabilityIT). Written at commit, it survives the process.
            prepared += ";WRITE_DELAY=0";
        }
        return prepared;
    }

    /**
     * The URL with the relative path of an embedded H2 file database made absolute against {@code base} (a
     * configuration file's directory, docs/design.md §13). {@code ./x}, {@code ../x} and {@code x} are relative;
     * absolute paths, {@code ~/x}, other H2 URLs and PostgreSQL URLs come back unchanged.
     */
    public static String resolveAgainst(String url, Path base) {
        if (!url.regionMatches(true, 0, "jdbc:h2:", 0, "jdbc:h2:".length())) {
            return url;
        }
        Optional<String> name = h2FileName(url);
        if (name.isEmpty() || name.get().startsWith("~") || Path.of(name.get()).isAbsolute()) {
            return url;
        }
        String absolute = base.toAbsolutePath().resolve(name.get()).normalize().toString();
        int start = url.indexOf(name.get(), "jdbc:h2:".length());
        return url.substring(0, start) + absolute + url.substring(start + name.get().length());
    }

    /** The path in an embedded H2 file URL; empty for mem:, tcp:, ssl:, H2 file systems, PostgreSQL. */
    private static Optional<String> h2FileName(String url) {
        if (database(url) != Database.H2) {
            return Optional.empty();
        }
        String name = url.substring("jdbc:h2:".length()).split(";", 2)[0];
        if (name.regionMatches(true, 0, "file:", 0, "file:".length())) {
            return Optional.of(name.substring("file:".length())).filter(n -> !n.isEmpty());
        }
        // another "prefix:" names a server or an H2 file system (mem:, tcp:, zip:, nio:...); a drive letter does not
        int colon = name.indexOf(':');
        if (colon > 1) {
            return Optional.empty();
        }
        return Optional.of(name).filter(n -> !n.isEmpty());
    }
}
