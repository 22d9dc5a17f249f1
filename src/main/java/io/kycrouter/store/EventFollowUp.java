package io.kycrouter.store;

import io.kycrouter.canonical.VerificationEvent;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What is written with each new canonical event, in the event's own transaction: the notify package's outbox rows.
 * The store owns this interface because it calls it, so it depends on no package that stores through it.
 */
@FunctionalInterface
public interface EventFollowUp {

    /** Nothing to do once the transaction committed. */
    Runnable NOTHING = () -> { };

    /**
     * Writes on {@code c}, in the event's transaction. With {@code handOver}, it may also return work for after the
     * commit, which the store runs once the transaction committed, on its writer thread, in commit order.
     */
    Runnable write(Connection c, VerificationEvent event, String payload, boolean handOver) throws SQLException;
}
