package io.kycrouter.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static io.kycrouter.store.Inbox.utc;

/**
 * Purges the raw bodies of inbox rows older than the retention period (router/retention.yaml), in small
 * batches that each hold their locks only briefly. The rows themselves stay: their dedupe keys must outlive
 * the vendors' retry windows, and the canonical events (which hold no personal data) are kept. Rows not yet
 * turned into their canonical event are never purged.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.retention");

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration keepBodies;
    private final int batchSize;
    private final Duration pause;

    public Retention(DataSource dataSource, Clock clock, Duration keepBodies, int batchSize, Duration pause) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.keepBodies = keepBodies;
        this.batchSize = batchSize;
        this.pause = pause;
    }

    /** Returns how many bodies were purged. */
    public int purge() throws SQLException, InterruptedException {
        Instant cutoff = clock.instant().minus(keepBodies);
        int total = 0;
        while (true) {
            int purged;
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "update inbox set body = null where id in (select id from inbox where body is not null"
                            + " and processed_at is not null and received_at < ? order by id fetch first " + batchSize + " rows only)")) {
                s.setObject(1, utc(cutoff));
                purged = s.executeUpdate();
            }
            total += purged;
            if (purged < batchSize) {
                break;
            }
            Thread.sleep(pause.toMillis()); // let other writers in between batches
        }
        if (total > 0) {
            LOG.info("purged {} inbox bodies received before {}", total, cutoff);
        }
        return total;
    }
}
