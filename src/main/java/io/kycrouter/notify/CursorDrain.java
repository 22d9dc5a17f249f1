package io.kycrouter.notify;

import io.kycrouter.notify.TargetCursors.LogEvent;
import io.kycrouter.notify.TargetCursors.RowToWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends a target the new events of the log, from its cursor ({@link TargetCursors}): reads a batch after the
 * cursor, sends each event the target's filter accepts, and writes a row for each event that was not delivered (to be
 * retried, dead, or waiting behind an earlier delivery of its verification) in the same transaction as the cursor's
 * new position. A delivered event is never written anywhere.
 * <p>
 * The position is written when the batch left a row, and otherwise at most once per {@code persistEvery} (a commit
 * that carries one small update costs a store of the database, whatever it carries): this instance keeps the position
 * it has sent up to in memory meanwhile. If it dies before writing it, the events since the written position are sent
 * again (at least once: receivers deduplicate on the event id). For an ordered target an event is only sent once the
 * written position is past every earlier event of its verification: a batch ends before a verification's second
 * event, and before an event whose verification was sent since the position was last written (which is written
 * first), so a batch sent again can repeat events but never deliver an older one after a newer. An event of an
 * ordered target is not sent but written pending (the claim query sends it in turn) while its verification has an
 * earlier delivery still pending for the target, or an earlier delivery of its vendor is still to be mapped by the
 * inbox recovery.
 */
final class CursorDrain {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.notify");

    /**
     * What this instance knows of a target's cursor while it holds the lease: the position written, the position sent
     * up to (ahead of it until the next write), the ordered target's verifications sent in between, and until when the
     * lease holds. Used by the target's one worker; the lease time also by the renewal.
     */
    private static final class Held {
        long persisted;
        long position;
        Instant persistedAt = Instant.EPOCH;
        final Set<String> sentSincePersisted = new HashSet<>();
        volatile Instant until;
        volatile Instant elsewhereUntil;
    }

    private final TargetCursors cursors;
    private final OutboxClaims claims;
    private final TargetSwitch targetSwitch;
    private final OutboxDispatcher dispatcher;
    private final String instance;
    private final Duration lease;
    private final Clock clock;
    private final Duration persistEvery;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** @param persistEvery how long the position sent up to may stay ahead of the position written */
    CursorDrain(TargetCursors cursors, OutboxClaims claims, TargetSwitch targetSwitch, OutboxDispatcher dispatcher,
                String instance, Duration lease, Duration persistEvery, Clock clock) {
        this.persistEvery = persistEvery;
        this.cursors = cursors;
        this.claims = claims;
        this.targetSwitch = targetSwitch;
        this.dispatcher = dispatcher;
        this.instance = instance;
        this.lease = lease;
        this.clock = clock;
    }

    /**
     * Sends one batch of the target's new events. Returns whether more may follow at once (a full batch, or one cut
     * before a verification's second event).
     */
    boolean drainOnce(TargetDefinition target) throws Exception {
        Held cursor = take(target);
        if (cursor == null) {
            return false; // another instance reads this log
        }
        try {
            return drain(target, cursor);
        } catch (RuntimeException e) {
            held.remove(target.name()); // the position written is read again: what was sent since goes again
            throw e;
        }
    }

    private boolean drain(TargetDefinition target, Held cursor) throws Exception {
        if (targetSwitch.isDisabled(target.name())) {
            persist(target, cursor, List.of(), true);
            return false; // its receiver answered 410: the log waits for an operator
        }
        List<LogEvent> read = cursors.after(cursor.position, target.batchSize());
        if (read.isEmpty()) {
            persist(target, cursor, List.of(), false);
            return false;
        }
        long end = cursor.position;
        boolean cut = false;
        boolean writeFirst = false;
        List<LogEvent> wanted = new ArrayList<>(read.size());
        Set<String> verifications = new HashSet<>();
        for (LogEvent e : read) {
            boolean sent = !e.superseded() // replaced by a remap before it was sent: its replacement follows in the log
                    && target.filter().matches(e.vendor(), e.type(), e.status(), e.isFinal());
            if (sent && target.ordered()) {
                if (cursor.sentSincePersisted.contains(e.verificationKey())) {
                    writeFirst = true; // its previous event must be behind the written position before it goes
                    cut = true;
                    break;
                }
                if (!verifications.add(e.verificationKey())) {
                    cut = true;
                    break;
                }
            }
            end = e.position();
            if (sent) {
                wanted.add(e);
            }
        }
        List<RowToWrite> rows = new ArrayList<>();
        List<LogEvent> toSend = target.ordered() ? holdBack(target, wanted, rows) : wanted;
        rows.addAll(send(target, toSend));
        cursor.position = end;
        if (target.ordered()) {
            toSend.forEach(e -> cursor.sentSincePersisted.add(e.verificationKey()));
        }
        if (!persist(target, cursor, rows, !rows.isEmpty() || writeFirst)) {
            return false;
        }
        return cut || read.size() == target.batchSize();
    }

    /**
     * Writes the rows and the position sent up to, when there are rows, when {@code now} says so, or when the last
     * write is older than {@code persistEvery}. Returns false when this instance no longer holds the cursor.
     */
    private boolean persist(TargetDefinition target, Held cursor, List<RowToWrite> rows, boolean now) {
        Instant at = clock.instant();
        if (rows.isEmpty() && (cursor.position == cursor.persisted
                || (!now && at.isBefore(cursor.persistedAt.plus(persistEvery))))) {
            return true;
        }
        Instant until = at.plus(lease);
        if (!cursors.advance(target.name(), instance, cursor.persisted, cursor.position, until, rows)) {
            held.remove(target.name());
            LOG.warn("target={} lost its cursor's lease (this instance stalled or lost the database for a whole lease):"
                    + " the instance that took it over sends the events after position {} again", target.name(), cursor.persisted);
            return false;
        }
        cursor.persisted = cursor.position;
        cursor.persistedAt = at;
        cursor.sentSincePersisted.clear();
        cursor.until = until;
        return true;
    }

    /**
     * The events of an ordered target that may be sent now; each of the others gets a pending row (added to
     * {@code rows}) behind the delivery it must wait for.
     */
    private List<LogEvent> holdBack(TargetDefinition target, List<LogEvent> wanted, List<RowToWrite> rows) {
        if (wanted.isEmpty()) {
            return wanted;
        }
        Map<String, Long> unmapped = claims.firstUnmapped();
        Set<String> pending = claims.verificationsPending(target.name(), wanted);
        List<LogEvent> now = new ArrayList<>(wanted.size());
        Instant at = clock.instant();
        for (LogEvent e : wanted) {
            Long first = unmapped.get(e.vendor());
            if (pending.contains(e.verificationKey()) || (first != null && e.inboxId() > first)) {
                rows.add(new RowToWrite(e, "pending", 0, at, null, null));
            } else {
                now.add(e);
            }
        }
        return now;
    }

    /**
     * Sends the events, up to the target's concurrency at once: different verifications in parallel, one
     * verification's events one after the other in log order. Returns the rows of those not delivered.
     */
    private List<RowToWrite> send(TargetDefinition target, List<LogEvent> events) throws Exception {
        if (events.isEmpty()) {
            return List.of();
        }
        Map<String, List<LogEvent>> byVerification = new LinkedHashMap<>();
        for (LogEvent e : events) {
            byVerification.computeIfAbsent(e.verificationKey(), k -> new ArrayList<>()).add(e);
        }
        ExecutorService pool = dispatcher.pool(target);
        AtomicBoolean gone = new AtomicBoolean();
        Instant createdAt = clock.instant();
        List<Future<List<RowToWrite>>> running = new ArrayList<>(byVerification.size());
        for (List<LogEvent> verification : byVerification.values()) {
            running.add(pool.submit(() -> {
                List<RowToWrite> rows = new ArrayList<>(0);
                for (LogEvent e : verification) {
                    if (gone.get()) { // the target was switched off meanwhile: the rest waits with it
                        rows.add(new RowToWrite(e, "pending", 0, null, null, "target disabled: 410 Gone"));
                        continue;
                    }
                    OutboxRow row = new OutboxRow(0, e.eventId(), target.name(), e.vendor(), e.verificationId(), e.inboxId(),
                            0, createdAt, e.payload());
                    OutboxDispatcher.Attempted a = dispatcher.attempt(target, row);
                    switch (a.kind()) {
                        case DELIVERED -> { }
                        case GONE -> {
                            gone.set(true);
                            rows.add(new RowToWrite(e, "pending", 0, null, a.status(), "target disabled: 410 Gone"));
                        }
                        case REFUSED -> rows.add(new RowToWrite(e, "dead", 1, null, a.status(), a.error()));
                        case RETRY -> rows.add(a.next() == null ? new RowToWrite(e, "dead", 1, null, a.status(), a.error())
                                : new RowToWrite(e, "pending", 1, a.next(), a.status(), a.error()));
                    }
                }
                return rows;
            }));
        }
        List<RowToWrite> rows = new ArrayList<>();
        ExecutionException failed = null;
        for (Future<List<RowToWrite>> f : running) {
            try {
                rows.addAll(f.get());
            } catch (ExecutionException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed; // the cursor stays: the batch is sent again (at least once)
        }
        return rows;
    }

    /** The target's cursor while this instance holds its lease (taken or extended here); null while another does. */
    private Held take(TargetDefinition target) {
        Instant now = clock.instant();
        Held cursor = held.computeIfAbsent(target.name(), n -> new Held());
        if (cursor.until != null && cursor.until.isAfter(now.plus(lease.dividedBy(2)))) {
            return cursor;
        }
        if (cursor.elsewhereUntil != null && now.isBefore(cursor.elsewhereUntil)) {
            return null;
        }
        Instant until = now.plus(lease);
        long position = cursors.acquire(target.name(), instance, until);
        if (position < 0) {
            cursor.until = null;
            cursor.elsewhereUntil = cursors.heldElsewhereUntil(target.name(), instance);
            if (cursor.elsewhereUntil == null && cursors.create(target.name())) {
                LOG.warn("target={} had no cursor in the event log (its row was removed): it starts again at the log's head",
                        target.name());
            }
            return null;
        }
        cursor.position = position;
        cursor.persisted = position;
        cursor.persistedAt = now;
        cursor.sentSincePersisted.clear();
        cursor.until = until;
        cursor.elsewhereUntil = null;
        return cursor;
    }

    /** Extends the leases of the cursors this instance holds (run with the claims' renewal). */
    void renew() {
        if (held.values().stream().noneMatch(h -> h.until != null)) {
            return;
        }
        Instant until = clock.instant().plus(lease);
        try {
            cursors.renew(instance, until);
            held.values().forEach(h -> {
                if (h.until != null) {
                    h.until = until;
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("notifier cursors' leases not renewed: {}", e.getMessage());
        }
    }

    /** Writes the positions sent up to, then gives back the cursors held (graceful stop; the workers have stopped). */
    void release(Targets targets) {
        for (TargetDefinition target : targets.all()) {
            Held cursor = held.get(target.name());
            if (cursor != null && cursor.until != null) {
                try {
                    persist(target, cursor, List.of(), true);
                } catch (RuntimeException e) {
                    LOG.warn("target={} position {} not written: the events after {} are sent again", target.name(),
                            cursor.position, cursor.persisted);
                }
            }
        }
        held.clear();
        cursors.release(instance);
    }
}
