package io.kycrouter.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Outbox rows this instance claimed in the very transaction that wrote them, handed to the dispatcher in memory.
 * <p>
 * The intake writes a new event's outbox rows already claimed by this instance (claimed_by, claimed_until) while
 * the target's queue here has room, and offers them once the transaction committed, in commit order. The
 * dispatcher then sends them without a claim query, a join to read the event back, or a claim commit. Nothing
 * depends on the memory for safety: the rows are in the database, claimed like any other; if this instance
 * dies, the claims lapse after the lease and any instance takes them over. A row that waited here too long, or
 * that may not be sent yet (an ordered target with an earlier event of the verification still pending), is
 * given back to the database, where the claim query takes it in turn.
 */
public final class OutboxHandoff {

    /** A row claimed at intake, and until when the claim holds. */
    public record Claimed(OutboxRow row, Instant claimedUntil) {
    }

    private final String instance;
    private final Duration lease;
    private final int capacity;
    /** One target's rows, and how many (ConcurrentLinkedQueue.size() walks the queue). */
    private record Lane(ConcurrentLinkedQueue<Claimed> rows, AtomicInteger size) {
    }

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * @param capacity rows held per target; past it the intake writes rows unclaimed, for the claim query
     *                 (0 turns the handoff off)
     */
    public OutboxHandoff(Duration lease, int capacity) {
        this.instance = UUID.randomUUID().toString();
        this.lease = lease;
        this.capacity = Math.max(0, capacity);
    }

    /** This instance's name in claimed_by. */
    public String instance() {
        return instance;
    }

    public Duration lease() {
        return lease;
    }

    /** Whether a new row of this target should be written claimed (the queue has room). */
    public boolean hasRoom(String target) {
        return lane(target).size().get() < capacity;
    }

    /** Rows whose transaction committed, in the order they were written. */
    public void offer(List<Claimed> rows) {
        for (Claimed c : rows) {
            Lane lane = lane(c.row().target());
            lane.rows().add(c);
            lane.size().incrementAndGet();
        }
    }

    /** Takes up to {@code max} rows of the target, oldest first. */
    public List<Claimed> take(String target, int max) {
        Lane lane = lane(target);
        List<Claimed> taken = new ArrayList<>(Math.min(max, 64));
        Claimed c;
        while (taken.size() < max && (c = lane.rows().poll()) != null) {
            taken.add(c);
        }
        lane.size().addAndGet(-taken.size());
        return taken;
    }

    public boolean isEmpty(String target) {
        return lane(target).rows().isEmpty();
    }

    /** Forgets every row held (the router is stopping: the claims are given back in the database). */
    public void clear() {
        lanes.keySet().forEach(t -> take(t, Integer.MAX_VALUE));
    }

    private Lane lane(String target) {
        return lanes.computeIfAbsent(target, t -> new Lane(new ConcurrentLinkedQueue<>(), new AtomicInteger()));
    }
}
