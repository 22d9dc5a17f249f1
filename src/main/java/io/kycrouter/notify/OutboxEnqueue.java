package io.kycrouter.notify;

import io.kycrouter.canonical.VerificationEvent;
import io.kycrouter.store.EventFollowUp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.kycrouter.store.Inbox.utc;

/**
 * Enqueues a new canonical event's notifications in the event's own transaction (the store calls it, see
 * {@link EventFollowUp}): one outbox row per target whose filter accepts the event.
 */
public final class OutboxEnqueue implements EventFollowUp {

    private final Targets targets;
    private final OutboxHandoff handoff;
    private final Clock clock;

    public OutboxEnqueue(Targets targets, OutboxHandoff handoff, Clock clock) {
        this.targets = targets;
        this.handoff = handoff;
        this.clock = clock;
    }

    /**
     * One outbox row per target whose filter accepts the event. With {@code claim}, the rows of targets whose handoff
     * has room are written claimed by this instance, and the work returned hands them over once the transaction
     * committed.
     */
    @Override
    public Runnable write(Connection c, VerificationEvent event, String payload, boolean claim) throws SQLException {
        // a target receives one verification's events in the order they were received (the inbox id), not in
        // the order their mappings happened to finish
        long order = event.inboxId();
        List<TargetDefinition> matching = targets.matching(event);
        if (matching.isEmpty()) {
            return EventFollowUp.NOTHING;
        }
        Instant now = clock.instant();
        Instant until = now.plus(handoff.lease());
        boolean[] claimedBy = new boolean[matching.size()];
        try (PreparedStatement s = c.prepareStatement(
                "insert into outbox (event_id, event_seq, target, vendor, verification_id, state, created_at, next_attempt_at,"
                        + " claimed_by, claimed_until) values (?,?,?,?,?,'pending',?,?,?,?)", new String[] {"id"})) {
            for (int i = 0; i < matching.size(); i++) {
                TargetDefinition target = matching.get(i);
                claimedBy[i] = claim && handoff.hasRoom(target.name());
                s.setString(1, event.eventId());
                s.setLong(2, order);
                s.setString(3, target.name());
                s.setString(4, event.vendor());
                s.setString(5, event.verificationId());
                s.setObject(6, utc(now));
                s.setObject(7, utc(now));
                s.setString(8, claimedBy[i] ? handoff.instance() : null);
                s.setObject(9, claimedBy[i] ? utc(until) : null);
                s.addBatch();
            }
            s.executeBatch();
            if (!claim) {
                return EventFollowUp.NOTHING;
            }
            List<OutboxHandoff.Claimed> claimed = new ArrayList<>(matching.size());
            try (ResultSet keys = s.getGeneratedKeys()) {
                for (int i = 0; i < matching.size(); i++) {
                    if (!keys.next()) {
                        throw new SQLException("the outbox insert returned " + i + " keys for " + matching.size() + " rows");
                    }
                    if (claimedBy[i]) {
                        claimed.add(new OutboxHandoff.Claimed(new OutboxRow(keys.getLong(1), event.eventId(),
                                matching.get(i).name(), event.vendor(), event.verificationId(), order, 0, now, payload), until));
                    }
                }
            }
            return claimed.isEmpty() ? EventFollowUp.NOTHING : () -> handoff.offer(claimed);
        }
    }
}
