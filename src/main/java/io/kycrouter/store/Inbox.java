package io.kycrouter.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw inbox: every accepted delivery, committed before the vendor hears 200. The unique (vendor, key)
 * constraint makes dedupe race-safe across threads and instances: a failed insert writes nothing.
 * Deliveries are written by {@link Intake}, together with their canonical events.
 */
public final class Inbox {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("kyc.inbox");

    /** The outcome of storing a delivery: the inbox row id, and whether it was already there. */
    public record Stored(long id, boolean duplicate) {
    }

    /** A row still to be turned into its canonical event. */
    public record Pending(long id, String vendor, String eventKey, Instant receivedAt, String body) {
    }

    /**
     * A delivery to store. {@code processedAt} is set when its canonical event is written in the same transaction;
     * {@code parkedError} when it could not be mapped (the row is parked with that error, for an operator).
     */
    public record Incoming(String vendor, String eventKey, String body, Instant receivedAt, String authScheme,
                           Instant processedAt, String parkedError) {

        public Incoming(String vendor, String eventKey, String body, Instant receivedAt, String authScheme) {
            this(vendor, eventKey, body, receivedAt, authScheme, null, null);
        }

        /** The delivery alone: not yet processed, not parked. */
        Incoming plain() {
            return new Incoming(vendor, eventKey, body, receivedAt, authScheme);
        }
    }

    private static final String INSERT = "insert into inbox (vendor, event_key, received_at, auth_scheme, body, processed_at,"
            + " attempts, last_error) values (?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    public Inbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * One batch insert. A key already in the table is found first and answered as a duplicate of its row; a key
     * repeated within the batch is inserted once (the repeats are duplicates of it). A key another instance inserts
     * meanwhile still fails the batch, which {@link Intake}'s group commit then writes row by row ({@link #storeAlone}).
     */
    static List<Stored> insertAll(Connection c, List<Incoming> items) throws SQLException {
        // a vendor's retry of a delivery already stored (normal: its first answer was lost or late) is found
        // first, so it cannot make the batch's insert fail and send every delivery of the batch the slow way
        Map<String, Long> existing = existingIds(c, items);
        Map<String, Integer> firstOf = new HashMap<>();
        int[] slots = new int[items.size()];
        long[] known = new long[items.size()];
        List<Incoming> fresh = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Incoming in = items.get(i);
            String key = in.vendor() + '\n' + in.eventKey();
            Long stored = existing.get(key);
            if (stored != null) {
                slots[i] = KNOWN;
                known[i] = stored;
                continue;
            }
            Integer first = firstOf.putIfAbsent(key, fresh.size());
            slots[i] = first == null ? fresh.size() : -1 - first;
            if (first == null) {
                fresh.add(in);
            }
        }
        long[] ids = new long[fresh.size()];
        if (!fresh.isEmpty()) {
            try (PreparedStatement insert = c.prepareStatement(INSERT, new String[] {"id"})) {
                for (Incoming in : fresh) {
                    bind(insert, in);
                    insert.addBatch();
                }
                insert.executeBatch();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    for (int i = 0; i < ids.length; i++) {
                        if (!keys.next()) {
                            throw new SQLException("fewer generated keys than rows inserted");
                        }
                        ids[i] = keys.getLong(1);
                    }
                }
            }
        }
        List<Stored> stored = new ArrayList<>(items.size());
        for (int i = 0; i < slots.length; i++) {
            int slot = slots[i];
            stored.add(slot == KNOWN ? new Stored(known[i], true)
                    : slot >= 0 ? new Stored(ids[slot], false) : new Stored(ids[-1 - slot], true));
        }
        return stored;
    }

    private static final int KNOWN = Integer.MIN_VALUE;

    /**
     * The ids of the items already in the inbox, by vendor and event key. One lookup of the unique index per item:
     * an "event_key in (...)" list may be planned as a scan of the vendor's rows.
     */
    private static Map<String, Long> existingIds(Connection c, List<Incoming> items) throws SQLException {
        Map<String, Long> existing = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("select id from inbox where vendor = ? and event_key = ?")) {
            for (Incoming in : items) {
                s.setString(1, in.vendor());
                s.setString(2, in.eventKey());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        existing.put(in.vendor() + '\n' + in.eventKey(), rs.getLong(1));
                    }
                }
            }
        }
        return existing;
    }

    private static void bind(PreparedStatement insert, Incoming in) throws SQLException {
        insert.setString(1, in.vendor());
        insert.setString(2, in.eventKey());
        insert.setObject(3, utc(in.receivedAt()));
        insert.setString(4, in.authScheme());
        insert.setString(5, in.body());
        insert.setObject(6, in.processedAt() == null ? null : utc(in.processedAt()));
        insert.setInt(7, in.parkedError() == null ? 0 : PARKED);
        insert.setString(8, in.parkedError() == null ? null : cut(in.parkedError()));
    }

    private static String cut(String error) {
        return error.substring(0, Math.min(error.length(), 1000));
    }

    /** One delivery in its own transaction: insert, or find the row its key already has. */
    Stored storeAlone(Incoming in) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement insert = c.prepareStatement(INSERT, new String[] {"id"})) {
                    bind(insert, in);
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        keys.next();
                        return new Stored(keys.getLong(1), false);
                    }
                } catch (SQLException e) {
                    if (!SqlStates.uniqueViolation(e)) {
                        throw e;
                    }
                }
                try (PreparedStatement find = c.prepareStatement("select id from inbox where vendor = ? and event_key = ?")) {
                    find.setString(1, in.vendor());
                    find.setString(2, in.eventKey());
                    try (ResultSet rs = find.executeQuery()) {
                        if (rs.next()) {
                            return new Stored(rs.getLong(1), true);
                        }
                    }
                }
            } catch (SQLException e) {
                if (SqlStates.dataError(e)) {
                    throw new IllegalArgumentException("the delivery does not fit the inbox: " + e.getSQLState());
                }
                throw new StoreUnavailable("inbox write failed: " + e.getMessage(), e);
            }
        }
        throw new StoreUnavailable("inbox write kept conflicting", null);
    }

    /** Rows not yet processed, received before {@code olderThan}, with fewer than {@code maxAttempts} tries. */
    public List<Pending> pending(Instant olderThan, int maxAttempts, int limit) throws SQLException {
        List<Pending> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "select id, vendor, event_key, received_at, body from inbox"
                             + " where processed_at is null and received_at < ? and attempts < ? and body is not null"
                             + " order by id fetch first " + limit + " rows only")) {
            s.setObject(1, utc(olderThan));
            s.setInt(2, maxAttempts);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Pending(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5)));
                }
            }
        }
        return rows;
    }

    /** What a processing failure is taken for: a database failure is retried, anything else is parked. */
    public static boolean permanent(Throwable cause) {
        return !(cause instanceof StoreUnavailable);
    }

    /** The error kept on the row: the failure's class and message, never the payload. */
    public static String describe(Throwable cause) {
        return cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /**
     * Records a processing failure on the row ({@link #markFailed}) and never throws: when the database is away
     * too, the row simply stays unprocessed and the inbox recovery comes back to it.
     */
    public void recordFailure(long id, String error, boolean permanent) {
        try {
            markFailed(id, error, permanent);
        } catch (RuntimeException down) {
            LOG.warn("inbox={} could not record the failure: {}", id, down.getMessage());
        }
    }

    /** Attempts value of a row whose mapping can never succeed: the recovery leaves it for an operator. */
    public static final int PARKED = 1_000_000;

    /**
     * Records a processing failure. A transient one (the database was away) is retried by the recovery sweep;
     * a permanent one (the payload cannot be mapped) is parked with its error, for an operator to look at.
     */
    public void markFailed(long id, String error, boolean permanent) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("update inbox set attempts = "
                     + (permanent ? PARKED : "attempts + 1") + ", last_error = ? where id = ?")) {
            s.setString(1, error == null ? null : cut(error));
            s.setLong(2, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailable("inbox update failed: " + e.getMessage(), e);
        }
    }

    /**
     * The lowest inbox id from which on every row was received at or after {@code since - slack}, found by a binary
     * search over the primary key (a few dozen index lookups), so that a query over the last hours reads those rows
     * and not the whole table: ids are handed out in the order deliveries come in, and two instances' clocks differ
     * by far less than {@code slack}. A query still filters on the time itself. 0 when the table is empty.
     */
    public static long firstIdSince(Connection c, Instant since, Duration slack) throws SQLException {
        OffsetDateTime from = utc(since.minus(slack));
        long lo;
        long hi;
        try (PreparedStatement s = c.prepareStatement("select min(id), max(id) from inbox");
             ResultSet r = s.executeQuery()) {
            if (!r.next() || r.getObject(1) == null) {
                return 0;
            }
            lo = r.getLong(1);
            hi = r.getLong(2) + 1; // past the last row: every row is older
        }
        try (PreparedStatement s = c.prepareStatement(
                "select received_at >= ? from inbox where id >= ? order by id fetch first 1 rows only")) {
            s.setObject(1, from);
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                s.setLong(2, mid);
                boolean recent;
                try (ResultSet r = s.executeQuery()) {
                    recent = !r.next() || r.getBoolean(1);
                }
                if (recent) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
        }
        return lo;
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
