package io.kycrouter.support;

import org.h2.tools.Server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A database several router processes can share: a new PostgreSQL database in the PostgreSQL profile,
 * otherwise an H2 server (TCP) in the test JVM.
 */
public final class ServerDatabase implements AutoCloseable {

    private final Server h2;
    private final String url;
    private final String user;

    private ServerDatabase(Server h2, String url, String user) {
        this.h2 = h2;
        this.url = url;
        this.user = user;
    }

    public static ServerDatabase start(Path dir) throws SQLException {
        String postgres = System.getProperty("kyc.test.postgres");
        if (postgres != null && !postgres.isBlank()) {
            return new ServerDatabase(null, PostgresDatabases.create(postgres), PostgresDatabases.USER);
        }
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        return new ServerDatabase(h2, "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/kyc", "sa");
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    public long count(String sql, Object... params) throws SQLException {
        try (Connection c = connect()) {
            return count(c, sql, params);
        }
    }

    /** The single number a counting query answers. */
    public static long count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void close() {
        if (h2 != null) {
            h2.stop();
        }
    }
}
