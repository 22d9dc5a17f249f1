package io.kycrouter.store;

import io.kycrouter.canonical.Canonicalizer;
import io.kycrouter.canonical.VerificationEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Takes in an authenticated delivery, already mapped by its vendor route: its inbox row and, when the mapping
 * succeeded, its canonical event (at the next position of the event log) and the verification's new state are committed in one
 * transaction, with whatever other deliveries arrived meanwhile (group commit). The vendor hears 200 after that.
 * <p>
 * The delivery itself is never refused for its event: a delivery that could not be mapped is stored parked with
 * the error; when writing the event fails, the batch falls back to storing each delivery alone, then its event
 * alone, and a failure of the event is recorded on the inbox row (the inbox recovery retries a database failure).
 */
public final class Intake implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.canonical");

    /** A delivery to store, its event (null when it could not be mapped) and, then, why. */
    public record Accepted(Inbox.Incoming delivery, VerificationEvent event, String mappingError) {
    }

    private final Inbox inbox;
    private final EventStore events;
    private final Clock clock;
    private final Runnable afterAppend;
    /** @param journal the new delivery as the journal keeps it; null for a duplicate (see {@link Durability}) */
    private record Written(Inbox.Stored stored, boolean eventStored, byte[] journal) {
    }

    private final DataSource dataSource;
    private final Durability durability;
    private final GroupCommit<Accepted, Written> writer;

    /**
     * @param afterAppend run after new events were stored (wakes the outbox dispatcher)
     * @param linger      how long a batch waits for more deliveries to join it (see {@link GroupCommit})
     */
    public Intake(DataSource dataSource, Inbox inbox, EventStore events, Clock clock, Runnable afterAppend, int maxBatch,
                  Duration wait, Duration linger) {
        this(dataSource, inbox, events, clock, afterAppend, maxBatch, wait, linger, Durability.atCommit());
    }

    /** @param durability what makes a committed batch safe from a crash before the vendors hear 200 */
    public Intake(DataSource dataSource, Inbox inbox, EventStore events, Clock clock, Runnable afterAppend, int maxBatch,
                  Duration wait, Duration linger, Durability durability) {
        this.dataSource = dataSource;
        this.inbox = inbox;
        this.events = events;
        this.clock = clock;
        this.afterAppend = afterAppend;
        this.durability = durability;
        this.writer = new GroupCommit<>("intake", dataSource, maxBatch, wait, linger, this::writeAll, this::writeAlone,
                this::makeSafe);
        durability.replayWith(this::replay);
    }

    /** After a batch committed: its new deliveries in the journal (nothing to do where a commit is safe already). */
    private void makeSafe(List<Written> results) {
        if (!durability.journaled()) {
            return;
        }
        List<byte[]> records = new ArrayList<>(results.size());
        for (Written w : results) {
            if (w.journal() != null) {
                records.add(w.journal());
            }
        }
        durability.intakeCommitted(records);
    }

    /** Commits the delivery and its event; a duplicate writes nothing. Returns the inbox row. */
    public Inbox.Stored accept(Accepted accepted) {
        return stored(accepted, writer.submit(accepted));
    }

    /**
     * Commits the delivery and its event without holding the caller's thread: the result completes, on the given
     * executor, with the inbox row once committed, or with the failure ({@link StoreUnavailable} when the store could
     * not take it, an {@link IllegalArgumentException} for a delivery it refuses), never wrapped.
     */
    public CompletableFuture<Inbox.Stored> acceptAsync(Accepted accepted, Executor continueOn) {
        CompletableFuture<Inbox.Stored> answer = new CompletableFuture<>();
        writer.submitAsync(accepted).whenCompleteAsync((written, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
                return;
            }
            try {
                answer.complete(stored(accepted, written));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }, continueOn);
        return answer;
    }

    /** After the commit: wakes the dispatcher for a new event and writes its log line (off the writer thread). */
    private Inbox.Stored stored(Accepted accepted, Written written) {
        VerificationEvent event = accepted.event();
        if (written.eventStored()) {
            afterAppend.run();
        }
        if (written.eventStored() && LOG.isInfoEnabled()) { // the values are made printable only for a line that is written
            LOG.info("vendor={} key={} verification={} type={} status={} final={} stored=new", event.vendor(),
                    Canonicalizer.printable(event.vendorEventKey(), 200), Canonicalizer.printable(event.verificationId(), 100),
                    event.type(), event.status(), event.isFinal());
        }
        return written.stored();
    }

    private List<Written> writeAll(Connection c, List<Accepted> items) throws SQLException {
        durability.catchUp(c); // a database reopened under the router gets the journal's deliveries first
        List<Inbox.Incoming> rows = new ArrayList<>(items.size());
        int mapped = 0;
        for (Accepted a : items) {
            mapped += a.event() != null ? 1 : 0;
            Inbox.Incoming d = a.delivery();
            rows.add(a.event() != null
                    ? new Inbox.Incoming(d.vendor(), d.eventKey(), d.body(), d.receivedAt(), d.authScheme(), clock.instant(), null)
                    : new Inbox.Incoming(d.vendor(), d.eventKey(), d.body(), d.receivedAt(), d.authScheme(), null, a.mappingError()));
        }
        // the log's positions first (see EventLog); a duplicate leaves its position unused
        EventLog.Positions positions = mapped == 0 ? null : EventLog.reserve(c, mapped);
        List<Inbox.Stored> stored = Inbox.insertAll(c, rows);
        List<Written> written = new ArrayList<>(items.size());
        boolean journaled = durability.journaled();
        try (BatchStatements statements = new BatchStatements(c)) { // each statement prepared once per batch
            for (int i = 0; i < items.size(); i++) {
                VerificationEvent event = items.get(i).event();
                boolean isNew = !stored.get(i).duplicate();
                if (event == null) {
                    written.add(new Written(stored.get(i), false,
                            isNew && journaled ? new IntakeRecord(rows.get(i), null).encode() : null));
                    continue;
                }
                long position = positions.next();
                byte[] journal = null;
                if (isNew) {
                    VerificationEvent withId = event.withInboxId(stored.get(i).id());
                    String payload = events.serialize(withId);
                    events.appendNew(statements, withId, payload, position);
                    journal = journaled ? new IntakeRecord(rows.get(i), payload).encode() : null;
                }
                written.add(new Written(stored.get(i), isNew, journal));
            }
        }
        return written;
    }

    /** One delivery in its own transaction, then its event in another: the delivery is kept whatever the event does. */
    private Written writeAlone(Accepted a) {
        Written written = storeAlone(a);
        durability.checkpoint(); // this path is rare (a refused batch): a checkpoint rather than the journal
        return written;
    }

    private Written storeAlone(Accepted a) {
        durability.catchUp(); // as writeAll
        Inbox.Stored stored = inbox.storeAlone(a.delivery().plain());
        if (stored.duplicate() || a.event() == null) {
            if (!stored.duplicate() && a.mappingError() != null) {
                inbox.recordFailure(stored.id(), a.mappingError(), true);
            }
            return new Written(stored, false, null);
        }
        try {
            return new Written(stored, events.append(a.event().withInboxId(stored.id())), null);
        } catch (RuntimeException e) {
            boolean permanent = Inbox.permanent(e);
            LOG.warn("vendor={} inbox={} canonical event not stored, {}: {}", a.delivery().vendor(), stored.id(),
                    permanent ? "parked for an operator" : "will retry", Canonicalizer.printable(String.valueOf(e.getMessage()), 300));
            inbox.recordFailure(stored.id(), Inbox.describe(e), permanent);
            return new Written(stored, false, null);
        }
    }

    /**
     * Writes again the deliveries a crash left in the journal's segments (before the router takes any delivery), then
     * checkpoints and deletes the segments. Returns how many deliveries were written again.
     */
    public int recover() throws IOException, SQLException {
        DeliveryJournal journal = durability.journal();
        if (journal == null) {
            return 0;
        }
        List<Path> segments = journal.leftovers();
        int written = 0;
        if (!segments.isEmpty()) {
            written = replay(segments);
            durability.checkpoint();
            journal.delete(segments);
        }
        durability.adoptCurrentDatabase();
        return written;
    }

    /**
     * Writes the deliveries of journal segments again, in the order they were committed: those the database already
     * has are duplicates and write nothing, the others are stored with the same canonical event (its id, times and
     * decision) they were stored with before, or parked again. Returns how many were written.
     */
    int replay(List<Path> segments) throws IOException, SQLException {
        ObjectMapper json = JOURNAL_JSON;
        int[] counts = new int[2]; // read, written again
        for (Path segment : segments) {
            List<Accepted> batch = new ArrayList<>(64);
            SQLException[] failed = new SQLException[1];
            long torn = DeliveryJournal.read(segment, bytes -> {
                if (failed[0] != null) {
                    return;
                }
                batch.add(accepted(IntakeRecord.decode(bytes), json));
                counts[0]++;
                if (batch.size() == 64) {
                    failed[0] = writeAgain(batch, counts);
                }
            });
            if (failed[0] == null) {
                failed[0] = writeAgain(batch, counts);
            }
            if (failed[0] != null) {
                throw failed[0];
            }
            if (torn > 0) {
                LOG.warn("journal segment {}: the last {} bytes were a record cut short by the crash (never acknowledged)",
                        segment.getFileName(), torn);
            }
        }
        LOG.info("delivery journal: {} deliveries read back, {} of them were not in the database and were written again",
                counts[0], counts[1]);
        return counts[1];
    }

    private static final ObjectMapper JOURNAL_JSON = new ObjectMapper();

    private static Accepted accepted(IntakeRecord record, ObjectMapper json) {
        Inbox.Incoming d = record.delivery();
        if (record.eventPayload() == null) {
            return new Accepted(d, null, d.parkedError());
        }
        try {
            return new Accepted(d, json.readValue(record.eventPayload(), VerificationEvent.class), null);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("journal record with an unreadable event: " + e.getMessage(), e);
        }
    }

    /** One batch of recovered deliveries in one transaction, or each alone when the batch is refused. */
    private SQLException writeAgain(List<Accepted> batch, int[] counts) {
        if (batch.isEmpty()) {
            return null;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Written> written;
            try {
                written = writeAll(c, batch);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                written = new ArrayList<>();
                for (Accepted a : batch) {
                    written.add(storeAlone(a));
                }
            } finally {
                c.setAutoCommit(true);
            }
            for (Written w : written) {
                counts[1] += w.stored().duplicate() ? 0 : 1;
            }
            return null;
        } catch (SQLException e) {
            return e;
        } finally {
            batch.clear();
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
