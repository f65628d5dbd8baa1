package org.smimegw.store;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.port.PrivateKeyRepository;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The gateway's state in one database (H2 file or PostgreSQL): opens a small connection pool, brings the schema up
 * to date with the Flyway migrations, loads (or creates) the master key, and hands out the port adapters. Several
 * processes may open the same store at once: an H2 file database is opened in mixed mode ({@code AUTO_SERVER}) so
 * that the command line works while the relay runs. The adapters are thread-safe and read the database on every
 * call, so a change made by one process is seen by the others at once. Close the store when done; the adapters
 * must not be used afterwards.
 */
public final class Store implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 4;
    private static final long CONNECTION_TIMEOUT_MILLIS = 10_000;

    private final HikariDataSource dataSource;
    private final String shownUrl;
    private final CertificateDirectory certificates;
    private final JdbcPrivateKeyRepository privateKeys;
    private final AuditLog auditLog;
    private final OriginalArchive originals;

    private Store(HikariDataSource dataSource, String shownUrl, MasterKey masterKey, Clock clock) {
        this.dataSource = dataSource;
        this.shownUrl = shownUrl;
        this.certificates = new JdbcCertificateDirectory(dataSource, clock);
        this.privateKeys = new JdbcPrivateKeyRepository(dataSource, masterKey, clock);
        this.auditLog = new JdbcAuditLog(dataSource);
        this.originals = new JdbcOriginalArchive(dataSource, clock);
    }

    /** Opens the store with the system clock; see {@link #open(StoreSettings, Clock)}. */
    public static Store open(StoreSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /**
     * Opens the store: connects, migrates, loads or creates the master key file.
     *
     * @param clock stamps {@code created_at} columns
     * @throws StoreException with a one-line message naming the URL (never the password) or the master key file
     */
    public static Store open(StoreSettings settings, Clock clock) {
        String shownUrl = JdbcUrls.redact(settings.url());
        HikariDataSource dataSource = null;
        try {
            JdbcUrls.Database database = JdbcUrls.database(settings.url());
            dataSource = new HikariDataSource(poolConfig(settings, JdbcUrls.prepare(settings.url())));
            migrate(dataSource, database);
            MasterKey masterKey = MasterKey.loadOrCreate(settings.masterKeyFile());
            return new Store(dataSource, shownUrl, masterKey, clock);
        } catch (StoreException e) {
            close(dataSource);
            throw e;
        } catch (IOException | RuntimeException e) {
            close(dataSource);
            // the driver may quote the URL back; mask a password in it as well
            throw new StoreException("cannot open store " + shownUrl + ": "
                    + JdbcUrls.redact(StoreException.rootMessage(e)), e);
        }
    }

    private static HikariConfig poolConfig(StoreSettings settings, String url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("gateway-store");
        config.setJdbcUrl(url);
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        // the command line opens the store for one statement or two: don't open the whole pool up front
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        return config;
    }

    private static void migrate(DataSource dataSource, JdbcUrls.Database database) {
        Flyway.configure(Store.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("blob", database.blobType))
                .load()
                .migrate();
    }

    private static void close(HikariDataSource dataSource) {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    /** The stored CA and client certificates. */
    public CertificateDirectory certificates() {
        return certificates;
    }

    /** The organisation's private keys, encrypted at rest under the master key file. */
    public PrivateKeyRepository privateKeys() {
        return privateKeys;
    }

    /** The audit log. */
    public AuditLog auditLog() {
        return auditLog;
    }

    /** Inbound originals kept for {@code reprocess}. */
    public OriginalArchive originals() {
        return originals;
    }

    /**
     * Decrypts every stored private key once, so that a master key file that does not match the store (a node
     * started without a copy of the shared one, say) is found at start-up rather than at the first message. Not
     * done by {@link #open}, so that commands that never touch keys still work.
     *
     * @throws StoreException naming the first fingerprint whose key does not decrypt
     */
    public void checkMasterKey() {
        privateKeys.checkAll();
    }

    /**
     * The pooled connections, for further adapters of this module (the message queue) that keep their tables in
     * the same database. Not for the composition root: it uses the ports.
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
