package io.kycrouter.store;

import java.sql.SQLException;

/** Portable SQLSTATE checks (H2 and PostgreSQL agree on these). */
final class SqlStates {

    private SqlStates() {
    }

    static boolean uniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Class 22: the data itself is wrong (too long, out of range); retrying will not help. */
    static boolean dataError(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    /** Class 08 (connection exception), or the driver/pool saying the connection is gone: nothing to retry item by item. */
    static boolean connectionLost(SQLException e) {
        return (e.getSQLState() != null && e.getSQLState().startsWith("08"))
                || e instanceof java.sql.SQLTransientConnectionException || e instanceof java.sql.SQLRecoverableException;
    }

    /**
     * Another transaction got in first: a unique key it wrote, a serialisation failure or deadlock (40001, 40P01),
     * or H2's lock timeout (HYT00). Running the whole transaction again is the answer.
     */
    static boolean conflict(SQLException e) {
        String state = e.getSQLState();
        return uniqueViolation(e) || "40001".equals(state) || "40P01".equals(state) || "HYT00".equals(state);
    }
}
