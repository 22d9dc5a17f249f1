package io.kycrouter.store;

import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;

import java.time.Instant;

/**
 * Whether an event moves a verification's current status. The event's own time decides; at equal times the
 * later lifecycle stage wins, and a reset wins (it is documented to move the status back). An event with
 * no status, or an UNKNOWN one, never moves an established status.
 */
final class StateDecision {

    private StateDecision() {
    }

    static boolean moves(CanonicalStatus current, Instant currentAt, int currentRank,
                         CanonicalStatus incoming, Instant incomingAt, CanonicalType incomingType) {
        if (incoming == null) {
            return false;
        }
        if (current == null || current == CanonicalStatus.UNKNOWN) {
            return true;
        }
        if (incoming == CanonicalStatus.UNKNOWN) {
            return false;
        }
        int byTime = incomingAt.compareTo(currentAt);
        if (byTime != 0) {
            return byTime > 0;
        }
        return incomingType == CanonicalType.VERIFICATION_RESET || incoming.rank() > currentRank;
    }
}
