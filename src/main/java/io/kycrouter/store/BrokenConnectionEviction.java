package io.kycrouter.store;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells HikariCP to drop a connection that a database reports broken with a vendor code Hikari does not know.
 * H2 in server mode reports a cut connection as 90067 / 90121 ("connection broken", "database is already
 * closed") instead of an 08xxx SQLSTATE; without this the broken connection would go back to the pool and
 * every later request would get a 503 although the database is back.
 */
public final class BrokenConnectionEviction implements SQLExceptionOverride {

    private static final Set<Integer> H2_BROKEN = Set.of(90067, 90121, 90098);

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (H2_BROKEN.contains(x.getErrorCode()) || (x.getSQLState() != null && x.getSQLState().startsWith("08"))) {
                return Override.MUST_EVICT;
            }
        }
        return Override.CONTINUE_EVICT;
    }
}
