package io.kycrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Positions in the canonical event log (canonical_event.seq), handed out in commit order. A transaction that appends
 * events first reserves their positions by moving the log's head row, and holds that row's lock until it commits:
 * the next appending transaction waits for it, so positions become visible in the order they were handed out. A
 * reader that sees position p can already see every position below it, which is what lets each notifier target keep
 * its progress as one position (a cursor) instead of one row per event. Reserving must be the transaction's first
 * write (every appending transaction takes the head first, then the rows of the verifications it touches: no two of
 * them can wait for each other). A position reserved and not used (a duplicate found meanwhile) is a gap; readers
 * skip gaps.
 */
public final class EventLog {

    private EventLog() {
    }

    /** Positions reserved in one transaction, handed out one by one in order. */
    public static final class Positions {
        private long next;
        private final long last;

        private Positions(long first, long last) {
            this.next = first;
            this.last = last;
        }

        long next() {
            if (next > last) {
                throw new IllegalStateException("more events appended than positions reserved");
            }
            return next++;
        }
    }

    /** Reserves {@code n} positions (n at least 1) on {@code c}; the head stays locked until the transaction ends. */
    static Positions reserve(Connection c, int n) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update event_log_head set last_seq = last_seq + ? where id = 1")) {
            s.setInt(1, n);
            if (s.executeUpdate() != 1) {
                throw new SQLException("the event log's head row is missing (migration V8)");
            }
        }
        long last = head(c);
        return new Positions(last - n + 1, last);
    }

    /** The last position handed out (committed or not: read inside a transaction that moved it, the caller's own). */
    public static long head(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select last_seq from event_log_head where id = 1");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the event log's head row is missing (migration V8)");
            }
            return rs.getLong(1);
        }
    }
}
