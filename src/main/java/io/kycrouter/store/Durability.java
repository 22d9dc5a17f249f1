package io.kycrouter.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * When a committed write is safe from a crash. On PostgreSQL, or an H2 database that writes its file at every commit
 * (WRITE_DELAY=0), it is as soon as it commits: every method here does nothing. On the embedded H2 default with the
 * delivery journal (docs/DECISIONS.md, 78) H2 writes its file only at a checkpoint, so:
 * <ul>
 *     <li>the intake's new deliveries go to the {@link DeliveryJournal} after their commit, before the vendor hears
 *     200; if the journal cannot be written, a checkpoint makes them safe instead, and if that fails too the vendors
 *     hear 503 (and so does every later delivery, a duplicate included, until a checkpoint succeeds: a duplicate of a
 *     delivery that is in neither would otherwise be acknowledged);</li>
 *     <li>an operator's change, and an event written outside the intake, are checkpointed before the answer;</li>
 *     <li>a timer ({@code h2-checkpoint}, router/retention.yaml) seals the journal's segment, checkpoints, then deletes
 *     the sealed segments, whose deliveries are now in H2's file.</li>
 * </ul>
 * Notifications, cursors and retries are not checkpointed: a crash rewinds them together to H2's last checkpoint
 * (at-least-once delivery, as after any crash).
 * <p>
 * H2 can also lose what it had not written without the router stopping: when writing its file fails (a full disk),
 * it closes the database, and the next connection opens it again from the file. The journal's segments then hold
 * deliveries the reopened database lacks: the timer's run notices that the database is a new instance and writes the
 * segments' deliveries again (a delivery it already has is a duplicate and writes nothing) before it deletes them; a
 * checkpoint in place of a failed journal write is refused when the database was reopened since (503: the delivery may
 * have gone with the old one).
 */
public final class Durability {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.store");
    private static final Durability AT_COMMIT = new Durability(null, null);

    private final DataSource dataSource;
    private final DeliveryJournal journal;
    /** A journal write and its fallback checkpoint failed: nothing is acknowledged until a checkpoint succeeds. */
    private volatile boolean unsafe;
    private volatile boolean warnedCheckpoint;
    /** The H2 database instance the journal's segments were written for (null until known). */
    private volatile Object instance;
    private volatile Replay replay = segments -> 0;
    /** The thread writing the journal's deliveries again (its writes need no catching up). */
    private volatile Thread replaying;
    private final java.util.concurrent.locks.ReentrantLock trimming = new java.util.concurrent.locks.ReentrantLock();

    /** Writes the deliveries of journal segments again (see {@link Intake#recover}); returns how many were missing. */
    @FunctionalInterface
    public interface Replay {
        int replay(List<Path> segments) throws IOException, SQLException;
    }

    private Durability(DataSource dataSource, DeliveryJournal journal) {
        this.dataSource = dataSource;
        this.journal = journal;
    }

    /** A database whose commit is already safe (PostgreSQL, H2 with WRITE_DELAY=0): nothing to add. */
    public static Durability atCommit() {
        return AT_COMMIT;
    }

    /** An embedded H2 database with a write delay, its deliveries in {@code journal} until each checkpoint. */
    public static Durability journaled(DataSource dataSource, DeliveryJournal journal) {
        return new Durability(dataSource, journal);
    }

    public boolean journaled() {
        return journal != null;
    }

    public DeliveryJournal journal() {
        return journal;
    }

    /** How the segments are written again when the database was reopened under the router (the intake's). */
    public void replayWith(Replay replay) {
        this.replay = replay;
    }

    /** The database instance the journal is for from now on (after the start-up's recovery). */
    void adoptCurrentDatabase() throws SQLException {
        if (journal != null) {
            try (Connection c = dataSource.getConnection()) {
                instance = H2Instance.of(c);
            }
        }
    }

    /**
     * After the intake committed a batch: its new deliveries ({@code records}, possibly none) in the journal. Throws
     * {@link StoreUnavailable} when neither the journal nor a checkpoint could make the batch safe.
     */
    public void intakeCommitted(List<byte[]> records) {
        if (journal == null) {
            return;
        }
        if (!unsafe) {
            try {
                journal.append(records);
                return;
            } catch (IOException e) {
                LOG.warn("the delivery journal could not be written ({}): checkpointing instead", e.toString());
            }
        }
        checkpoint();
    }

    /**
     * Writes everything committed so far to H2's file (nothing to do when commits are safe already). Throws
     * {@link StoreUnavailable} when it cannot.
     */
    public void checkpoint() {
        if (journal == null) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            Object current = H2Instance.of(c);
            if (instance != null && current != instance) {
                throw new SQLException("the database was reopened since the journal's last checkpoint");
            }
            s.execute("CHECKPOINT");
            checkpointed();
        } catch (SQLException | RuntimeException e) {
            checkpointFailed(e);
            throw new StoreUnavailable("the database could not write its file: " + e.getMessage(), e);
        }
    }

    private void checkpointed() {
        if (unsafe || warnedCheckpoint) {
            LOG.info("checkpoint written again: deliveries are acknowledged again");
        }
        unsafe = false;
        warnedCheckpoint = false;
    }

    /** Nothing is acknowledged until a checkpoint succeeds; said once, not at every try. */
    private void checkpointFailed(Exception e) {
        unsafe = true;
        if (!warnedCheckpoint) {
            warnedCheckpoint = true;
            LOG.warn("checkpoint failed, the journal is kept: {}", e.toString());
        }
    }

    /**
     * The timer's run: seals the journal's segment, checkpoints, then deletes the sealed segments. Nothing to do when
     * nothing was journaled since the last run. A failed checkpoint keeps the segments for the next run.
     */
    public void checkpointAndTrim() {
        if (journal == null || !journal.holdsAnything() && !unsafe) {
            return;
        }
        trim();
    }

    /**
     * Before a writer's transaction on {@code c} (the intake's, the event store's): when the database was reopened
     * under the router, the journal's deliveries are written to it first, so that they keep their place before anything
     * new in the event log. Throws {@link StoreUnavailable} (503) until that could be done.
     */
    public void catchUp(Connection c) {
        if (journal == null || instance == null || Thread.currentThread() == replaying) {
            return; // (the replay's own writes)
        }
        Object current;
        try {
            current = H2Instance.of(c);
        } catch (SQLException e) {
            throw new StoreUnavailable("database connection unusable: " + e.getMessage(), e);
        }
        if (current == instance) {
            return;
        }
        // never wait for a replay another writer runs: it may be waiting for this one (the event store's)
        if (!trimming.tryLock()) {
            throw new StoreUnavailable("the journal's deliveries are being written to the reopened database", null);
        }
        try {
            trim();
        } finally {
            trimming.unlock();
        }
        if (instance != current) {
            throw new StoreUnavailable("the database was reopened and the journal's deliveries are not written to it yet", null);
        }
    }

    /** Before a write on a connection of its own (the intake's single-delivery path): see {@link #catchUp(Connection)}. */
    public void catchUp() {
        if (journal == null || instance == null || Thread.currentThread() == replaying) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            catchUp(c);
        } catch (SQLException e) {
            throw new StoreUnavailable("no database connection: " + e.getMessage(), e);
        }
    }

    private void trim() {
        trimming.lock();
        try {
            trimLocked();
        } finally {
            trimming.unlock();
        }
    }

    private void trimLocked() {
        List<Path> sealed = journal.seal();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            Object current = H2Instance.of(c);
            if (instance != null && current != instance) {
                LOG.warn("the embedded database was reopened under the router (it closes itself when writing its file"
                        + " fails): the journal's {} segment(s) are written to it again", sealed.size());
                int missing;
                replaying = Thread.currentThread();
                try {
                    missing = replay.replay(sealed);
                } finally {
                    replaying = null;
                }
                LOG.warn("{} deliveries the reopened database lacked were written again", missing);
            }
            s.execute("CHECKPOINT");
            instance = current;
            checkpointed();
        } catch (SQLException | IOException | RuntimeException e) {
            checkpointFailed(e);
            return; // the next run tries again
        }
        try {
            journal.delete(sealed);
        } catch (IOException e) {
            LOG.warn("journal segments not deleted: {}", e.toString());
        }
    }

    /** At shutdown, after the intake stopped: the last checkpoint, then an empty journal. */
    public void close() {
        if (journal == null) {
            return;
        }
        try {
            checkpointAndTrim();
        } finally {
            journal.close();
        }
    }
}
