package org.smimegw.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Small JDBC helpers that keep H2 and PostgreSQL in agreement. */
final class Sql {
    /** SQLSTATE of a unique or primary key violation, on both H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    private Sql() {
    }

    /**
     * Instants travel as UTC {@link OffsetDateTime}: the one type both drivers map to TIMESTAMP WITH TIME ZONE.
     * {@code null} is SQL NULL, as {@link #getInstant} reads it.
     */
    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
        }
    }

    static Instant getInstant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Work inside a transaction. */
    interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs the work in one transaction on the connection: committed when it returns, rolled back when it throws. */
    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Escapes LIKE wildcards so that a user's prefix matches literally (used with {@code ESCAPE '\'}). */
    static String likePrefix(String prefix) {
        return literal(prefix) + "%";
    }

    /** A LIKE pattern for values that contain the text literally anywhere (used with {@code ESCAPE '\'}). */
    static String likeContaining(String text) {
        return "%" + literal(text) + "%";
    }

    private static String literal(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
