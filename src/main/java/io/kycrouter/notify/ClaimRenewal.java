package io.kycrouter.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the claims of the rows this instance is sending alive: a claim must not lapse under an attempt still in
 * flight, or another instance takes the row over and the receiver gets the event twice. The dispatcher holds a
 * batch's rows here from the moment it starts sending them until each is settled, and {@link #renew} (run every
 * {@link #period()}, a quarter of the lease) moves their claimed_until a full lease ahead, in one update per target.
 * A crashed or stalled instance renews nothing, so its claims still lapse after the lease.
 */
final class ClaimRenewal {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.notify");

    private final OutboxClaims claims;
    private final String instance;
    private final Duration lease;
    private final Clock clock;
    /** Per target, the ids of the rows in flight (a set per batch sent, since a target sends one batch at a time). */
    private final Map<String, Set<Long>> held = new ConcurrentHashMap<>();

    ClaimRenewal(OutboxClaims claims, String instance, Duration lease, Clock clock) {
        this.claims = claims;
        this.instance = instance;
        this.lease = lease;
        this.clock = clock;
    }

    /** How often {@link #renew} should run: often enough that a claim survives a few missed or slow rounds. */
    Duration period() {
        return lease.dividedBy(4);
    }

    void hold(String target, Collection<OutboxRow> rows) {
        Set<Long> ids = held.computeIfAbsent(target, t -> ConcurrentHashMap.newKeySet());
        rows.forEach(row -> ids.add(row.id()));
    }

    void drop(String target, Collection<OutboxRow> rows) {
        Set<Long> ids = held.get(target);
        if (ids != null) {
            rows.forEach(row -> ids.remove(row.id()));
        }
    }

    /**
     * Extends this instance's claims of the rows held. A row settled or given back meanwhile is no longer claimed
     * by this instance (or no longer pending), so the update leaves it alone. A database failure is logged and the
     * next round tries again.
     */
    void renew() {
        for (Map.Entry<String, Set<Long>> target : held.entrySet()) {
            List<Long> ids = List.copyOf(target.getValue());
            if (ids.isEmpty()) {
                continue;
            }
            try {
                claims.renew(target.getKey(), instance, ids, clock.instant().plus(lease));
            } catch (RuntimeException e) {
                LOG.warn("target={} claims of {} deliveries in flight not renewed: {}", target.getKey(), ids.size(), e.getMessage());
            }
        }
    }
}
