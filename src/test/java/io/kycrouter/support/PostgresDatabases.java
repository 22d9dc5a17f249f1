package io.kycrouter.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The PostgreSQL test profile: each router under test gets a database of its own on the server named by
 * {@code -Dkyc.test.postgres=jdbc:postgresql://127.0.0.1:5432/test}; they are dropped when the test JVM exits.
 * Where no server answers, the tests are skipped with a printed reason, or fail in CI ({@link MissingService}).
 */
public final class PostgresDatabases {

    public static final String USER = System.getProperty("kyc.test.postgres.user", "postgres");
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();
    private static volatile String unreachable;
    private static String admin;

    private PostgresDatabases() {
    }

    public static synchronized String create(String adminUrl) {
        if (unreachable != null) {
            throw MissingService.skipOrFail(unreachable, null);
        }
        String name = "kyc_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(adminUrl, USER, ""); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            unreachable = "PostgreSQL profile: no database could be created at " + adminUrl + " (" + e.getMessage() + ")";
            throw MissingService.skipOrFail(unreachable, e);
        }
        if (admin == null) {
            admin = adminUrl;
            Runtime.getRuntime().addShutdownHook(new Thread(PostgresDatabases::dropAll));
        }
        CREATED.add(name);
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
    }

    private static void dropAll() {
        try (Connection c = DriverManager.getConnection(admin, USER, ""); Statement s = c.createStatement()) {
            for (String name : CREATED) {
                try {
                    s.execute("drop database if exists " + name + " with (force)");
                } catch (SQLException ignored) {
                    // best effort
                }
            }
        } catch (SQLException ignored) {
            // server gone
        }
    }
}
