package io.kycrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements of one transaction that writes many rows alike (a group commit's batch): each SQL text is
 * prepared once and executed for every row. H2 parses a statement again at every prepare when it cannot keep it in its
 * query cache, and it never keeps a {@code SELECT ... FOR UPDATE} (the verification state's read-to-update): once per
 * event that was 7 % of the intake writer's time at saturation. Closing closes them all (the connection stays open).
 */
final class BatchStatements implements AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    BatchStatements(Connection connection) {
        this.connection = connection;
    }

    /** The statement for {@code sql}, prepared on first use in this batch; its parameters are the caller's to set. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        prepared.clear();
        if (first != null) {
            throw first;
        }
    }
}
