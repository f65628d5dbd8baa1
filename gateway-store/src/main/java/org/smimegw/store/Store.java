package org.smimegw.store;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.port.PendingKeys;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.port.ReadScope;
import org.smimegw.core.port.RevocationStore;
import org.smimegw.core.port.StoreFailure;
import org.smimegw.core.queue.MessageQueue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The gateway's state in one database (H2 file or PostgreSQL): opens a connection pool of
 * {@link StoreSettings#poolSize} connections, brings the schema up
 * to date with the Flyway migrations, loads (or creates) the master key, and hands out the port adapters. Several
 * processes may open the same store at once: an H2 file database is opened in mixed mode ({@code AUTO_SERVER}) so
 * that the command line works while the relay runs. The adapters are thread-safe, and a change made by one process is
 * seen by the others at once: they read the database on every call, except that certificates, decrypted keys and
 * parsed revocation data are cached until a change counter in the database moves (ADR 12). Close the store when
 * done; the adapters must not be used afterwards.
 */
public final class Store implements AutoCloseable {
    private static final long CONNECTION_TIMEOUT_MILLIS = 10_000;
    private static final long H2_LOCK_WAIT_MILLIS = 20_000;
    /**
     * H2's ERROR_OPENING_DATABASE_1, DATABASE_ALREADY_OPEN_1, CONNECTION_BROKEN_1 and DATABASE_CALLED_AT_SHUTDOWN
     * (the process serving the file just left).
     */
    private static final Set<Integer> H2_LOCK_RACE_CODES = Set.of(8000, 90020, 90067, 90121);

    private final HikariDataSource dataSource;
    private final String shownUrl;
    private final CertificateDirectory certificates;
    private final JdbcPrivateKeyRepository storedKeys;
    private final PrivateKeyRepository privateKeys;
    private final PendingKeys pendingKeys;
    private final RevocationStore revocation;
    private final AuditLog auditLog;
    private final OriginalArchive originals;
    private final MessageQueue queue;
    private final StoreVersions versions;
    private final boolean created;

    private Store(HikariDataSource dataSource, JdbcUrls.Database database, String shownUrl, boolean created,
            MasterKey masterKey, Clock clock, SpoolArea spool) {
        this.dataSource = dataSource;
        this.shownUrl = shownUrl;
        this.created = created;
        this.versions = new StoreVersions(dataSource);
        this.storedKeys = new JdbcPrivateKeyRepository(dataSource, masterKey, clock);
        this.certificates = new CachedCertificateDirectory(new JdbcCertificateDirectory(dataSource, clock), versions);
        this.privateKeys = new CachedPrivateKeyRepository(storedKeys, versions);
        this.pendingKeys = new JdbcPendingKeys(dataSource, masterKey);
        this.revocation = new CachedRevocationStore(new JdbcRevocationStore(dataSource, clock), versions);
        GroupCommit commits = new GroupCommit(dataSource);
        this.auditLog = new JdbcAuditLog(dataSource, commits);
        this.originals = new JdbcOriginalArchive(dataSource, clock, spool);
        this.queue = new JdbcMessageQueue(dataSource, commits, database, spool);
    }

    /** Opens the store with the system clock; see {@link #open(StoreSettings, Clock, SpoolArea)}. */
    public static Store open(StoreSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /**
     * Opens the store, spooling what it reads in {@link SpoolArea#DEFAULT}; see
     * {@link #open(StoreSettings, Clock, SpoolArea)}.
     */
    public static Store open(StoreSettings settings, Clock clock) {
        return open(settings, clock, SpoolArea.DEFAULT);
    }

    /**
     * Opens the store: connects, migrates, loads or creates the master key file.
     *
     * @param clock stamps {@code created_at} and {@code stored_at} columns
     * @param spool where the contents the queue and the archive read back are spooled (ADR 10)
     * @throws StoreFailure with a one-line message naming the URL (never the password) or the master key file
     */
    public static Store open(StoreSettings settings, Clock clock, SpoolArea spool) {
        String shownUrl = JdbcUrls.redact(settings.url());
        try {
            JdbcUrls.Database database = JdbcUrls.database(settings.url());
            boolean[] created = new boolean[1];
            HikariDataSource dataSource = connectAndMigrate(poolConfig(settings, JdbcUrls.prepare(settings.url())),
                    database, created);
            try {
                return new Store(dataSource, database, shownUrl, created[0],
                        MasterKey.loadOrCreate(settings.masterKeyFile()), clock, spool);
            } catch (RuntimeException e) {
                dataSource.close();
                throw e;
            }
        } catch (StoreException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // the driver may quote the URL back; mask a password in it as well
            throw new StoreException("cannot open store " + shownUrl + ": "
                    + JdbcUrls.redact(StoreException.rootMessage(e)), e);
        }
    }

    /**
     * Starts the pool and migrates the schema. Processes that open one H2 file at the same moment race for its lock
     * file while the first one starts the mixed-mode server, and lose their connections when the process serving
     * them exits ("Lock file recently modified", "Connection is broken", "Database is already closed"); the loser
     * starts over until {@link #H2_LOCK_WAIT_MILLIS} have passed. Other failures are reported at once.
     */
    private static HikariDataSource connectAndMigrate(HikariConfig config, JdbcUrls.Database database,
            boolean[] created) {
        long deadline = System.nanoTime() + H2_LOCK_WAIT_MILLIS * 1_000_000;
        long pause = 50;
        while (true) {
            HikariDataSource dataSource = null;
            try {
                dataSource = new HikariDataSource(config);
                created[0] = migrate(dataSource, database);
                return dataSource;
            } catch (RuntimeException e) {
                if (dataSource != null) {
                    dataSource.close();
                }
                if (database != JdbcUrls.Database.H2 || !isH2LockRace(e) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for the H2 database lock", interrupted);
            }
            pause = Math.min(pause * 2, 500);
        }
    }

    private static boolean isH2LockRace(Throwable failure) {
        for (Throwable next = failure; next != null; next = next.getCause() == next ? null : next.getCause()) {
            if (next instanceof SQLException sql && H2_LOCK_RACE_CODES.contains(sql.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    private static HikariConfig poolConfig(StoreSettings settings, String url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("gateway-store");
        config.setJdbcUrl(url);
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        // the command line opens the store for one statement or two: don't open the whole pool up front
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        return config;
    }

    /** Brings the schema up to date; true when the database had none before (a new store). */
    private static boolean migrate(DataSource dataSource, JdbcUrls.Database database) {
        return Flyway.configure(Store.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("blob", database.blobType))
                .load()
                .migrate()
                .initialSchemaVersion == null;
    }

    /**
     * Whether this open created the store: the database had no schema, and the migrations made it. The command line
     * says so in one line (docs/design.md §13), so that a store made where nobody meant one is noticed at once.
     */
    public boolean created() {
        return created;
    }

    /** The URL as it may be shown: a password in it is masked. */
    public String shownUrl() {
        return shownUrl;
    }

    /** The stored CA and client certificates. */
    public CertificateDirectory certificates() {
        return certificates;
    }

    /** The organisation's private keys, encrypted at rest under the master key file. */
    public PrivateKeyRepository privateKeys() {
        return privateKeys;
    }

    /** The organisation's key pairs waiting for their certificate (docs/design.md §14), encrypted at rest. */
    public PendingKeys pendingKeys() {
        return pendingKeys;
    }

    /** One message's reads: the caches' change counters are read once per unit, in one query (ADR 12). */
    public ReadScope readScope() {
        return new ReadScope() {
            @Override
            public <T> T within(java.util.function.Supplier<T> work) {
                return versions.snapshot(work);
            }
        };
    }

    /** The verified CRLs and OCSP answers, shared with every other process and node on this store. */
    public RevocationStore revocation() {
        return revocation;
    }

    /** The audit log. */
    public AuditLog auditLog() {
        return auditLog;
    }

    /** Inbound originals kept for {@code reprocess}. */
    public OriginalArchive originals() {
        return originals;
    }

    /** The durable delivery queue, shared with every other process and node on this store. */
    public MessageQueue queue() {
        return queue;
    }

    /**
     * Decrypts every stored private key, the pending ones of docs/design.md §14 too, once, so that a master key file
     * that does not match the store (a node started without a copy of the shared one, say) is found at start-up
     * rather than at the first message. Not done by {@link #open}, so that commands that never touch keys still work.
     *
     * @throws StoreFailure naming the first fingerprint whose key does not decrypt
     */
    public void checkMasterKey() {
        storedKeys.checkAll();
        pendingKeys.all().forEach(pending -> pendingKeys.privateKey(pending.id()));
    }

    /**
     * Whether the database answers now: a connection from the pool that the driver finds valid within
     * {@code timeoutSeconds} (at least 1). Never throws for a database that is down; waiting for a pooled connection
     * may take up to the pool's connection timeout, so callers that must answer quickly bound the call themselves.
     */
    public boolean reachable(int timeoutSeconds) {
        try (java.sql.Connection connection = dataSource.getConnection()) {
            return connection.isValid(Math.max(1, timeoutSeconds));
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The pooled connections, for further adapters of this module that keep their tables in the same database,
     * and for tests. Not for the composition root: it uses the ports.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    @Override
    public String toString() {
        return "Store[" + shownUrl + "]";
    }
}
