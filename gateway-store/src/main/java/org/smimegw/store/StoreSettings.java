package org.smimegw.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store lives: a JDBC URL (H2 or PostgreSQL), its credentials, and the master key file that encrypts
 * private keys at rest. Immutable; {@link #toString()} never shows the password.
 *
 * @param url JDBC URL, e.g. {@code jdbc:h2:file:./data/gateway} or {@code jdbc:postgresql://host:5432/db}
 * @param user database user
 * @param password database password, empty for none
 * @param masterKeyFile 32 raw random bytes; created with mode 600 when absent
 * @param poolSize the most connections this process holds at once ({@code store.pool.size}); with several nodes on
 *                 one PostgreSQL, the sum over the nodes must stay below the server's {@code max_connections}
 */
public record StoreSettings(String url, String user, String password, Path masterKeyFile, int poolSize) {
    /** {@code store.url} default. */
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/gateway";
    /** {@code store.user} default. */
    public static final String DEFAULT_USER = "sa";
    /** {@code store.master.key.file} default. */
    public static final Path DEFAULT_MASTER_KEY_FILE = Path.of("./data/master.key");
    /**
     * {@code store.pool.size} default. Listener sessions and delivery workers each hold one connection for a statement
     * or a transaction; 4 made them queue.
     */
    public static final int DEFAULT_POOL_SIZE = 10;

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(masterKeyFile, "masterKeyFile");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be positive, not " + poolSize);
        }
    }

    /** With the {@link #DEFAULT_POOL_SIZE default pool size}. */
    public StoreSettings(String url, String user, String password, Path masterKeyFile) {
        this(url, user, password, masterKeyFile, DEFAULT_POOL_SIZE);
    }

    /** The documented defaults of {@code store.*}. */
    public static StoreSettings defaults() {
        return new StoreSettings(DEFAULT_URL, DEFAULT_USER, "", DEFAULT_MASTER_KEY_FILE);
    }

    @Override
    public String toString() {
        return "StoreSettings[url=" + JdbcUrls.redact(url) + ", user=" + user + ", masterKeyFile=" + masterKeyFile
                + ", poolSize=" + poolSize + "]";
    }
}
