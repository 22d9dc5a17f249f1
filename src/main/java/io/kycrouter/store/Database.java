package io.kycrouter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kycrouter.vendors.ConfigException;
import io.kycrouter.vendors.Settings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/** The connection pool (HikariCP) and the schema migrations (Flyway, run at start-up). */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.store");

    static {
        switchOffH2ObjectCache();
    }

    private Database() {
    }

    /**
     * H2 keeps every string it is given (each body, each canonical event) in a shared cache of 1,024 soft references,
     * to return the same instance for equal strings. The router's strings are almost all unique and a body may be
     * 100 KB or more: the cache only held up to 1,024 bodies in the heap until the collector, short of memory, cleared
     * it (a 112 MB heap idle after a load of 100 KB bodies kept 62 of them, and under load the collector thrashed).
     * Switched off with H2's system property before H2 reads it, unless set on the command line
     * (docs/DECISIONS.md, 74).
     */
    public static void switchOffH2ObjectCache() {
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
    }

    /** Whether H2's shared object cache is on in this JVM (it is read once, when H2 first needs it). */
    public static boolean h2ObjectCacheOn() {
        return org.h2.engine.SysProperties.OBJECT_CACHE;
    }

    public static HikariDataSource open(Settings db) {
        String url = db.required("url");
        url = tuned(journalDirectory(db).isPresent() ? journaled(url, db.number("journal.checkpoint-period-ms", 1000)) : durable(url));
        createH2Directory(url);
        if (url.startsWith("jdbc:h2:") && h2ObjectCacheOn()) {
            LOG.warn("H2's object cache is on (-Dh2.objectCache=true, or H2 was used before the router set it off):"
                    + " it keeps up to 1,024 recent bodies in the heap");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("kyc-db");
        config.setJdbcUrl(url);
        db.get("user").ifPresent(config::setUsername);
        db.get("password").ifPresent(config::setPassword);
        config.setMaximumPoolSize((int) db.number("pool.max-size", 10));
        config.setMinimumIdle((int) db.number("pool.min-idle", 2));
        // Short: when the database is unreachable the vendor should get a 503 quickly, and retry.
        config.setConnectionTimeout(db.number("pool.connection-timeout-ms", 3000));
        config.setValidationTimeout(Math.min(2000, config.getConnectionTimeout() - 1));
        config.setInitializationFailTimeout(db.number("pool.initialization-fail-timeout-ms", 10_000));
        config.setAutoCommit(true);
        config.setExceptionOverrideClassName(BrokenConnectionEviction.class.getName());
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new ConfigException("cannot connect to the database at " + redact(url) + ": " + rootMessage(e));
        }
    }

    public static void migrate(HikariDataSource dataSource) {
        String product = productName(dataSource);
        try {
            // the shared schema, and what one database needs alone (db/vendor/h2, db/vendor/postgresql)
            List<String> folders = List.of("db/migration", "db/vendor/" + product.toLowerCase(java.util.Locale.ROOT).replace(" ", ""));
            MigrationScripts scripts = new MigrationScripts(Database.class.getClassLoader(), folders);
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(folders.stream().map(folder -> "classpath:" + folder).toArray(String[]::new))
                    // listed, not scanned for (MigrationScripts); with both providers set Flyway makes no scanner
                    .resourceProvider(scripts)
                    .javaMigrationClassProvider(scripts)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new ConfigException("database migration failed: " + e.getMessage());
        }
        if ("PostgreSQL".equals(product)) {
            warnWithoutAutovacuum(dataSource);
        }
    }

    /** The JDBC product name ("H2", "PostgreSQL"); its own migrations are under db/vendor/<name in lower case>. */
    private static String productName(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new ConfigException("cannot read the database product: " + e.getMessage());
        }
    }

    /**
     * The outbox is a queue of retries, and every batch a target sends moves its cursor: each update leaves a dead row
     * version behind. Without autovacuum PostgreSQL never reclaims them, and never refreshes the statistics its plans
     * depend on.
     */
    private static void warnWithoutAutovacuum(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show autovacuum")) {
            if (rs.next() && "off".equalsIgnoreCase(rs.getString(1))) {
                LOG.warn("PostgreSQL runs with autovacuum = off: the outbox's dead rows are never reclaimed and its"
                        + " statistics go stale; turn autovacuum on, or VACUUM ANALYZE outbox regularly");
            }
        } catch (SQLException e) {
            LOG.debug("could not read the autovacuum setting: {}", e.getMessage());
        }
    }

    /**
     * Without the delivery journal ({@link #journalDirectory}: an H2 server, a URL that sets WRITE_DELAY, the journal
     * switched off), an H2 database writes its file at every commit. H2's own default (WRITE_DELAY=500) keeps committed
     * transactions in memory for up to half a second, and a kill -9 or crash loses them: deliveries the vendor was
     * already told were accepted. This holds for every H2 URL that is not in-memory: an explicit {@code file:}, an
     * implicit file path ({@code jdbc:h2:./data/kyc}) and an H2 server ({@code tcp:}, {@code ssl:}; the setting is
     * applied by the server when it opens the database). Group commit keeps the cost of this low. An explicit
     * WRITE_DELAY in the URL is respected.
     */
    static String durable(String url) {
        return withH2Default(url, "WRITE_DELAY", "0");
    }

    /**
     * The delivery journal's directory ({@code <database file>.journal} beside it): for an embedded H2 file whose URL
     * sets no WRITE_DELAY, unless {@code kyc.db.journal.enabled} is false. H2 then writes its file at each checkpoint
     * rather than at each commit, and the journal keeps the deliveries committed since (docs/DECISIONS.md, 78).
     */
    public static Optional<Path> journalDirectory(Settings db) {
        String url = db.required("url");
        if (!db.bool("journal.enabled", true) || url.toUpperCase(java.util.Locale.ROOT).contains(";WRITE_DELAY=")) {
            return Optional.empty();
        }
        return h2File(url).map(file -> file.resolveSibling(file.getFileName() + ".journal"));
    }

    /**
     * The file path of an embedded H2 database ({@code jdbc:h2:file:<path>} or {@code jdbc:h2:<path>}), without H2's
     * suffix; empty for an in-memory database, an H2 server and any other database.
     */
    static Optional<Path> h2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length()).split(";")[0];
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (rest.matches("^[a-zA-Z]{2,}:.*")) { // mem:, tcp:, ssl:, zip:, nio..., split:...
            return Optional.empty();
        }
        if (rest.isBlank()) {
            return Optional.empty();
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return Optional.of(Path.of(rest).toAbsolutePath().normalize());
    }

    /** An embedded H2 file with the journal: H2 writes its file every period (and at each checkpoint), not per commit. */
    static String journaled(String url, long periodMillis) {
        return withH2Default(url, "WRITE_DELAY", String.valueOf(Math.max(1, periodMillis)));
    }

    /**
     * Three more defaults for an H2 database in a file, each left alone when the URL sets it. QUERY_CACHE_SIZE: H2 keeps 8
     * parsed statements per connection by default, fewer than the intake's transaction uses, so every statement was
     * parsed again each time. COMPRESS: pages are compressed (LZF) as they are written: every commit writes the pages it
     * touched, and the file holds each delivery's body and event; compressed, both take a fraction of the bytes.
     * CACHE_SIZE (KB): H2 keeps every page it writes in its page cache, 16 MB by default; under load those pages
     * outlive young collections, are copied and promoted, and filled the old generation of the small heap the README
     * recommends (a full collection every 7 s, young pauses twice as long). 4 MB halves the collector's pauses for
     * the same CPU per delivery (docs/DECISIONS.md, 68).
     */
    static String tuned(String url) {
        return withH2Default(withH2Default(withH2Default(url, "QUERY_CACHE_SIZE", "64"), "COMPRESS", "TRUE"), "CACHE_SIZE", "4096");
    }

    private static String withH2Default(String url, String setting, String value) {
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (!upper.startsWith("JDBC:H2:") || upper.startsWith("JDBC:H2:MEM:") || upper.contains(";" + setting + "=")) {
            return url;
        }
        return url + ";" + setting + "=" + value;
    }

    /** An embedded H2 file database lives under a directory that may not exist yet. */
    private static void createH2Directory(String url) {
        String prefix = "jdbc:h2:file:";
        if (!url.startsWith(prefix)) {
            return;
        }
        String path = url.substring(prefix.length()).split(";")[0];
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot create the database directory " + parent + ": " + e.getMessage());
        }
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
