package io.kycrouter.observe;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.Map;

/**
 * Readiness: the router is ready only while its database answers, since a webhook can only be accepted once
 * it is committed. A load balancer stops sending to an instance whose database is away (it would answer 503).
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private final DataSource dataSource;

    public DatabaseHealthCheck(DataSource dataSource) {
        super("kyc", "database");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false; // the process is alive without its database; restarting it would not help
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        // details (GET /observe/health?data=true): the connection pool's state, so an operator sees whether the
        // database is away or the pool is exhausted (connections all busy, requests waiting)
        if (dataSource instanceof HikariDataSource hikari) {
            builder.detail("pool.max-size", hikari.getMaximumPoolSize());
            HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
            if (pool != null) {
                builder.detail("pool.active", pool.getActiveConnections());
                builder.detail("pool.idle", pool.getIdleConnections());
                builder.detail("pool.waiting", pool.getThreadsAwaitingConnection());
            }
        }
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(2)) {
                builder.up();
            } else {
                builder.message("database connection not valid").down();
            }
        } catch (Exception e) {
            builder.message("database unreachable: " + e.getClass().getSimpleName()).down();
        }
    }
}
