package io.kycrouter.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw inbox: every accepted delivery, committed before the vendor hears 200. The unique (vendor, key)
 * constraint makes dedupe race-safe across threads and instances: a failed insert writes nothing.
 */
public final class Inbox {

    /** The outcome of storing a delivery: the inbox row id, and whether it was already there. */
    public record Stored(long id, boolean duplicate) {
    }

    /** A row still to be turned into its canonical event. */
    public record Pending(long id, String vendor, String eventKey, Instant receivedAt, String body) {
    }

    private final DataSource dataSource;

    public Inbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Stored store(String vendor, String eventKey, String body, Instant receivedAt, String authScheme) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement insert = c.prepareStatement(
                        "insert into inbox (vendor, event_key, received_at, auth_scheme, body) values (?, ?, ?, ?, ?)",
                        new String[] {"id"})) {
                    insert.setString(1, vendor);
                    insert.setString(2, eventKey);
                    insert.setObject(3, utc(receivedAt));
                    insert.setString(4, authScheme);
                    insert.setString(5, body);
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
                    find.setString(1, vendor);
                    find.setString(2, eventKey);
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
            s.setString(1, error == null ? null : error.substring(0, Math.min(error.length(), 1000)));
            s.setLong(2, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailable("inbox update failed: " + e.getMessage(), e);
        }
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
