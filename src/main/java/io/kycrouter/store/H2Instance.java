package io.kycrouter.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

import java.sql.Connection;
import java.sql.SQLException;

/** Which embedded H2 database instance a connection is on: a new one after H2 closed and reopened its file. */
final class H2Instance {

    private H2Instance() {
    }

    /** The connection's H2 database object (null when it is not an embedded H2 database). */
    static Object of(Connection c) throws SQLException {
        if (c.isWrapperFor(JdbcConnection.class) && c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
            return local.getDatabase();
        }
        return null;
    }
}
