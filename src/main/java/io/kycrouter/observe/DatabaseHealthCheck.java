package io.kycrouter.observe;

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
