package org.smimegw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.port.OriginalArchive;

/**
 * {@link OriginalArchive} on the {@code kept_originals} table. Ids are random UUIDs; recipients are stored joined
 * by {@code '\n'}, which an SMTP address can never contain. Thread-safe.
 */
final class JdbcOriginalArchive implements OriginalArchive {
    private final DataSource dataSource;
    private final Clock clock;
    private final SpoolArea spool;

    JdbcOriginalArchive(DataSource dataSource, Clock clock, SpoolArea spool) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.spool = spool;
    }

    @Override
    public String keep(String sender, List<String> recipients, Bytes message) {
        for (String recipient : recipients) {
            if (recipient.isEmpty() || recipient.indexOf('\n') >= 0 || recipient.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("not a recipient address: '" + recipient.strip() + "'");
            }
        }
        String id = UUID.randomUUID().toString();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("INSERT INTO kept_originals"
                     + " (id, sender, recipients, message, created_at) VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, id);
            statement.setString(2, sender);
            statement.setString(3, String.join("\n", recipients));
            statement.setBinaryStream(4, message.openStream(), message.length());
            Sql.setInstant(statement, 5, clock.instant());
            statement.executeUpdate();
            return id;
        } catch (SQLException e) {
            throw StoreException.of("cannot keep the original from " + sender + " to " + recipients, e);
        }
    }

    @Override
    public Optional<KeptOriginal> find(String id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT id, sender, recipients, message FROM kept_originals WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                String joined = rows.getString("recipients");
                List<String> recipients = joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
                return Optional.of(new KeptOriginal(rows.getString("id"), rows.getString("sender"), recipients,
                        QueueRows.spooled(rows, "message", spool)));
            }
        } catch (SQLException e) {
            throw StoreException.of("cannot read kept original " + id, e);
        }
    }
}
