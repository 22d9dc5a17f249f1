package io.kycrouter.notify;

import io.kycrouter.store.StoreUnavailable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JDBC steps the outbox classes share: a transaction, an update, a query for the operator, a cut error text. */
final class OutboxSql {

    private OutboxSql() {
    }

    interface SqlWork {
        void run() throws SQLException;
    }

    /** Runs {@code work} on {@code c} as one transaction: committed whole or rolled back whole. */
    static void inTransaction(Connection c, SqlWork work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    static int update(DataSource dataSource, String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox update failed: " + e.getMessage(), e);
        }
    }

    static List<Map<String, Object>> query(DataSource dataSource, String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        Object value = rs.getObject(i);
                        if (value instanceof OffsetDateTime || value instanceof java.sql.Timestamp) {
                            value = rs.getObject(i, OffsetDateTime.class).toInstant().toString();
                        }
                        row.put(rs.getMetaData().getColumnLabel(i), value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox query failed: " + e.getMessage(), e);
        }
    }

    static String cut(String s) {
        return s == null ? null : s.substring(0, Math.min(s.length(), 1000));
    }
}
