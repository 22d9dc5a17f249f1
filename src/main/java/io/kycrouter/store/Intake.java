package io.kycrouter.store;

import io.kycrouter.canonical.Canonicalizer;
import io.kycrouter.canonical.VerificationEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    private record Written(Inbox.Stored stored, boolean eventStored) {
    }

    private final GroupCommit<Accepted, Written> writer;

    /**
     * @param afterAppend run after new events were stored (wakes the outbox dispatcher)
     * @param linger      how long a batch waits for more deliveries to join it (see {@link GroupCommit})
     */
    public Intake(DataSource dataSource, Inbox inbox, EventStore events, Clock clock, Runnable afterAppend, int maxBatch,
                  Duration wait, Duration linger) {
        this.inbox = inbox;
        this.events = events;
        this.clock = clock;
        this.afterAppend = afterAppend;
        this.writer = new GroupCommit<>("intake", dataSource, maxBatch, wait, linger, this::writeAll, this::writeAlone,
                results -> { });
    }

    /** Commits the delivery and its event; a duplicate writes nothing. Returns the inbox row. */
    public Inbox.Stored accept(Accepted accepted) {
        Written written = writer.submit(accepted);
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
        try (BatchStatements statements = new BatchStatements(c)) { // each statement prepared once per batch
            for (int i = 0; i < items.size(); i++) {
                VerificationEvent event = items.get(i).event();
                if (event == null) {
                    written.add(new Written(stored.get(i), false));
                    continue;
                }
                long position = positions.next();
                boolean append = !stored.get(i).duplicate();
                if (append) {
                    events.appendNew(statements, event.withInboxId(stored.get(i).id()), position);
                }
                written.add(new Written(stored.get(i), append));
            }
        }
        return written;
    }

    /** One delivery in its own transaction, then its event in another: the delivery is kept whatever the event does. */
    private Written writeAlone(Accepted a) {
        Inbox.Stored stored = inbox.storeAlone(a.delivery().plain());
        if (stored.duplicate() || a.event() == null) {
            if (!stored.duplicate() && a.mappingError() != null) {
                inbox.recordFailure(stored.id(), a.mappingError(), true);
            }
            return new Written(stored, false);
        }
        try {
            return new Written(stored, events.append(a.event().withInboxId(stored.id())));
        } catch (RuntimeException e) {
            boolean permanent = Inbox.permanent(e);
            LOG.warn("vendor={} inbox={} canonical event not stored, {}: {}", a.delivery().vendor(), stored.id(),
                    permanent ? "parked for an operator" : "will retry", Canonicalizer.printable(String.valueOf(e.getMessage()), 300));
            inbox.recordFailure(stored.id(), Inbox.describe(e), permanent);
            return new Written(stored, false);
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
