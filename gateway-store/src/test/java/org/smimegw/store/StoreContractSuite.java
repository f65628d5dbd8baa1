package org.smimegw.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.CertificateDirectory;
import org.smimegw.core.port.OriginalArchive;
import org.smimegw.core.port.PendingKeys;
import org.smimegw.core.port.PrivateKeyRepository;
import org.smimegw.core.port.RevocationStore;
import org.smimegw.core.queue.MessageQueue;

/**
 * Runs every port contract against a {@link Store} on a fresh, empty database per test; subclasses say which
 * database. Master key files live in a temporary directory.
 */
abstract class StoreContractSuite implements CertificateDirectoryContract, PrivateKeyRepositoryContract,
        AuditLogContract, OriginalArchiveContract, JdbcMessageQueueContract, RevocationStoreContract,
        QueueAuditContract, PendingKeysContract {

    @TempDir
    Path dir;

    private final List<Store> opened = new ArrayList<>();
    private String url;
    private Store store;
    private Store otherNode;

    /** Creates an empty database for one test and returns its JDBC URL. */
    abstract String createDatabase(Path directory) throws Exception;

    /** Removes what {@link #createDatabase} made, after the stores are closed. */
    abstract void dropDatabase() throws Exception;

    abstract String user();

    @BeforeEach
    final void openStore() throws Exception {
        url = createDatabase(dir);
        store = open(masterKeyFile());
    }

    @AfterEach
    final void closeStores() throws Exception {
        opened.forEach(Store::close);
        dropDatabase();
    }

    final Store open(Path masterKey) {
        Store another = Store.open(new StoreSettings(url, user(), "", masterKey));
        opened.add(another);
        return another;
    }

    final Store store() {
        return store;
    }

    @Override
    public CertificateDirectory certificates() {
        return store.certificates();
    }

    @Override
    public PrivateKeyRepository privateKeys() {
        return store.privateKeys();
    }

    @Override
    public AuditLog auditLog() {
        return store.auditLog();
    }

    @Override
    public OriginalArchive originals() {
        return store.originals();
    }

    @Override
    public MessageQueue queue() {
        return store.queue();
    }

    @Override
    public RevocationStore revocation() {
        return store.revocation();
    }

    @Override
    public MessageQueue sameQueueFromAnotherNode() {
        return otherNode().queue();
    }

    @Override
    public RevocationStore revocationOfAnotherNode() {
        return otherNode().revocation();
    }

    /** Another store on the same database: what a second node or the command line would open. */
    private Store otherNode() {
        if (otherNode == null) {
            otherNode = open(masterKeyFile());
        }
        return otherNode;
    }

    @Override
    public Connection connection() throws SQLException {
        return store.dataSource().getConnection();
    }

    @Override
    public MessageQueue queueOfAClosedStore() {
        Store closed = open(masterKeyFile());
        closed.close();
        return closed.queue();
    }

    @Override
    public Path masterKeyFile() {
        return dir.resolve("keys").resolve("master.key");
    }

    @Override
    public PrivateKeyRepository privateKeysWithMasterKey(Path masterKey) {
        return open(masterKey).privateKeys();
    }

    @Override
    public PendingKeys pendingKeys() {
        return store.pendingKeys();
    }

    @Override
    public PendingKeys pendingKeysWithMasterKey(Path masterKey) {
        return open(masterKey).pendingKeys();
    }

    @Override
    public Path otherMasterKeyFile() {
        return dir.resolve("other-keys").resolve("master.key");
    }

    @Override
    public int emailIndexRows(String fingerprint) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COUNT(*) FROM certificate_emails WHERE fingerprint = ?")) {
            statement.setString(1, fingerprint);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<byte[]> rawKeyRow(String fingerprint) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT * FROM private_keys WHERE fingerprint = ?")) {
            statement.setString(1, fingerprint);
            try (ResultSet rows = statement.executeQuery()) {
                List<byte[]> columns = new ArrayList<>();
                rows.next();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    columns.add(columnBytes(rows, i));
                }
                return columns;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] columnBytes(ResultSet rows, int column) throws SQLException {
        int type = rows.getMetaData().getColumnType(column);
        if (type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB) {
            return rows.getBytes(column);
        }
        String text = rows.getString(column);
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void moveRawKeyRow(String fromFingerprint, String toFingerprint) {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "UPDATE private_keys SET fingerprint = ? WHERE fingerprint = ?")) {
            statement.setString(1, toFingerprint);
            statement.setString(2, fromFingerprint);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
