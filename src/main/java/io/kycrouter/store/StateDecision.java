package io.kycrouter.store;

import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;

import java.time.Instant;

/**
 * Whether an event moves a verification's current status. The event's own time decides; at equal times the
 * later lifecycle stage wins, and a reset wins (it is documented to move the status back). An event with
 * no status, or an UNKNOWN one, never moves an established status. A time that could not be read (null) is older than
 * every known time: an event whose time is unknown never overturns one whose time is known, whenever it arrives.
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
        int byTime = compare(incomingAt, currentAt);
        if (byTime != 0) {
            return byTime > 0;
        }
        return incomingType == CanonicalType.VERIFICATION_RESET || incoming.rank() > currentRank;
    }

    /** Orders times with an unknown (null) time first. */
    private static int compare(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        return a.compareTo(b);
    }
}
