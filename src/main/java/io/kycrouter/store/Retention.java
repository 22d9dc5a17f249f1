package io.kycrouter.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.kycrouter.store.Inbox.utc;

/**
 * Purges the raw bodies of inbox rows older than the retention period (router/retention.yaml), in small
 * batches that each hold their locks only briefly. The rows themselves stay: their dedupe keys must outlive
 * the vendors' retry windows, and the canonical events (which hold no personal data) are kept. Rows not yet
 * turned into their canonical event (parked) are never purged.
 * <p>
 * The table only grows, and its purged rows stay, so a run does not start from its first row: it resumes where
 * the last one met the first row still too recent to purge (rows come in id order, roughly in time order), reads
 * the rows after it in id order and stops at the next one too recent. A full pass from the first row, which also
 * reads on past that row, runs first after each start and then every {@link #FULL_PASS_EVERY} runs (a day at the
 * hourly default): it purges what the short runs cannot see, a row whose id came before an older one's (two
 * instances' clocks) or a parked delivery mapped again once the runs had passed it.
 */
public final class Retention {

    /** Every this many runs, one reads the whole table. */
    static final int FULL_PASS_EVERY = 24;

    private static final Logger LOG = LoggerFactory.getLogger("kyc.retention");

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration keepBodies;
    private final int batchSize;
    private final Duration pause;
    /** Rows up to this id were read by an earlier run and hold no body that is old enough to purge (but parked ones). */
    private long resumeAfter;
    private long runs;
    /** Rows the last run read (tests; a log line). */
    private volatile long lastRead;

    public Retention(DataSource dataSource, Clock clock, Duration keepBodies, int batchSize, Duration pause) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.keepBodies = keepBodies;
        this.batchSize = Math.max(1, batchSize);
        this.pause = pause;
    }

    /** Returns how many bodies were purged. One run at a time (the retention timer's route). */
    public synchronized int purge() throws SQLException, InterruptedException {
        Instant cutoff = clock.instant().minus(keepBodies);
        OffsetDateTime before = utc(cutoff);
        boolean fullPass = runs++ % FULL_PASS_EVERY == 0;
        long after = fullPass ? 0 : resumeAfter;
        long firstRecent = -1;
        long read = 0;
        int total = 0;
        while (true) {
            List<Long> purgeable = new ArrayList<>();
            int rows = 0;
            boolean reachedRecent = false;
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "select id, processed_at is not null, received_at < ? from inbox where id > ? and body is not null"
                            + " order by id fetch first " + batchSize + " rows only")) {
                s.setObject(1, before);
                s.setLong(2, after);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows++;
                        after = r.getLong(1);
                        boolean processed = r.getBoolean(2);
                        boolean old = r.getBoolean(3);
                        if (processed && old) {
                            purgeable.add(after);
                        } else if (processed && firstRecent < 0) {
                            firstRecent = after;
                            reachedRecent = !fullPass;
                        }
                        if (reachedRecent) {
                            break;
                        }
                    }
                }
                total += purgeable.isEmpty() ? 0 : purgeBodies(c, purgeable, before);
            }
            read += rows;
            if (rows < batchSize || reachedRecent) {
                break;
            }
            if (!purgeable.isEmpty()) {
                Thread.sleep(pause.toMillis()); // let other writers in between batches
            }
        }
        resumeAfter = firstRecent >= 0 ? firstRecent - 1 : after;
        lastRead = read;
        if (total > 0) {
            LOG.info("purged {} inbox bodies received before {} ({} rows read{})", total, cutoff, read,
                    fullPass ? ", a full pass" : "");
        }
        return total;
    }

    /** Rows the last run read. */
    long lastRead() {
        return lastRead;
    }

    /** The conditions again: a row may have changed since it was read. */
    private static int purgeBodies(Connection c, List<Long> ids, OffsetDateTime before) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        try (PreparedStatement s = c.prepareStatement("update inbox set body = null where id in (" + in
                + ") and body is not null and processed_at is not null and received_at < ?")) {
            int p = 1;
            for (Long id : ids) {
                s.setLong(p++, id);
            }
            s.setObject(p, before);
            return s.executeUpdate();
        }
    }
}
