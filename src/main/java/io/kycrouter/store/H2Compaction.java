package io.kycrouter.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongConsumer;

/**
 * Compacts an embedded H2 database file while the router runs, as H2's own housekeeping would (which WRITE_DELAY=0,
 * the setting without the delivery journal, switches off). H2 writes every commit as a new chunk of copied pages and reuses a chunk's space only
 * once none of its pages is live; the pages that stay live (a verification's state, an index page few commits touch)
 * keep whole chunks alive. H2 rewrites those live pages into new chunks from its background thread, which only runs
 * with a write delay; without it the file grew for ever: about 10 KB per delivery at saturation, 30-40 KB at one
 * delivery per commit (light load: every commit rewrites whole pages). Each run here (router/retention.yaml,
 * every {@code kyc.db.h2.compact-period-ms}) rewrites at most {@code kyc.db.h2.compact-bytes} of the chunks with the
 * fewest live pages, when the live share of the file's chunks is below {@code kyc.db.h2.compact-fill-rate} percent
 * and something was committed since the last run: their space is then reused. A run holds H2's store lock, so every
 * commit waits for it: runs are small and frequent (128 KB every 125 ms: about 5 ms each, where 1 MB once a second
 * held deliveries up 40-50 ms, the worst of the vendors' waits at a steady load). (The share stays somewhat below 80 %
 * under load, so the runs go on while deliveries come in, at most that many bytes each, and stop when they stop.)
 * It does nothing on PostgreSQL, an in-memory H2 or an H2 server (that server's own settings apply).
 */
public final class H2Compaction {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.store");

    private final DataSource dataSource;
    private final int fillRate;
    private final int bytes;
    private final LongConsumer runs;
    private volatile boolean failedBefore;
    private volatile long versionAfterLastRun = -1;
    /** Cleared once a connection showed that the database is not an embedded H2 (that does not change while it runs). */
    private volatile boolean maybeEmbedded = true;

    public H2Compaction(DataSource dataSource, int fillRate, int bytes) {
        this(dataSource, fillRate, bytes, nanos -> { });
    }

    /** @param runs told how long each run that rewrote chunks took, in nanoseconds (the router's metric) */
    public H2Compaction(DataSource dataSource, int fillRate, int bytes, LongConsumer runs) {
        this.dataSource = dataSource;
        this.runs = runs;
        this.fillRate = Math.max(0, Math.min(100, fillRate));
        this.bytes = Math.max(1, bytes);
    }

    /**
     * One run. Returns whether chunks were rewritten; false when the file was full enough, when nothing was committed
     * since the last run (an idle router writes nothing), or when the database is not an embedded H2 file. A failure
     * (the disk full, the database closing) is logged once and tried again at the next run.
     */
    public boolean compact() {
        try {
            MVStore store = fileStore();
            if (store == null || store.getCurrentVersion() == versionAfterLastRun) {
                return false;
            }
            long started = System.nanoTime();
            boolean rewritten = store.compact(fillRate, bytes);
            if (rewritten) {
                long took = System.nanoTime() - started;
                runs.accept(took);
                LOG.debug("H2 compaction rewrote chunks in {} ms", took / 1_000_000);
            }
            versionAfterLastRun = store.getCurrentVersion();
            failedBefore = false;
            return rewritten;
        } catch (SQLException | RuntimeException e) {
            if (!failedBefore) {
                LOG.warn("H2 compaction skipped: {}", e.getMessage());
            }
            failedBefore = true;
            return false;
        }
    }

    /** The share of the file's chunks that is live, in percent (100 when there is nothing to compact here). */
    public int chunksFillRate() throws SQLException {
        MVStore store = fileStore();
        return store == null ? 100 : store.getFileStore().getChunksFillRate();
    }

    /** The store of an embedded H2 database in a file, looked up each time (the database may have been reopened). */
    private MVStore fileStore() throws SQLException {
        if (!maybeEmbedded) {
            return null; // no connection taken from the pool every period on PostgreSQL
        }
        try (Connection c = dataSource.getConnection()) {
            if (!c.isWrapperFor(JdbcConnection.class)
                    || !(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local)) {
                maybeEmbedded = false; // PostgreSQL, or an H2 server: compacted by the server
                return null;
            }
            if (local.getDatabase().getStore() == null) {
                return null;
            }
            MVStore store = local.getDatabase().getStore().getMvStore();
            return store.getFileStore() == null || store.isClosed() ? null : store;
        }
    }
}
