package io.kycrouter.store;

import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;

import java.time.Instant;
import java.util.List;

/**
 * Which of a verification's events moved its status, found by deciding again, in the order the events were stored,
 * exactly as the state was moved when each arrived ({@link StateDecision}). An event with a status that did not move
 * it arrived after a newer one (out of order), or lost to it on the lifecycle rank at the same time.
 */
public final class StatusHistory {

    /** One stored event, as the decision sees it; {@code occurredAt} null when the vendor's time could not be read. */
    public record Step(CanonicalType type, CanonicalStatus status, Instant occurredAt) {
    }

    private StatusHistory() {
    }

    /** For each step, in stored order: whether it set the verification's status. */
    public static boolean[] moves(List<Step> storedOrder) {
        boolean[] moved = new boolean[storedOrder.size()];
        CanonicalStatus current = null;
        Instant currentAt = null;
        int currentRank = 0;
        for (int i = 0; i < storedOrder.size(); i++) {
            Step step = storedOrder.get(i);
            // the first event creates the state with its status, whatever it is (EventStore.insertState)
            moved[i] = i == 0 ? step.status() != null
                    : StateDecision.moves(current, currentAt, currentRank, step.status(), step.occurredAt(), step.type());
            if (moved[i]) {
                current = step.status();
                currentAt = step.occurredAt();
                currentRank = step.status().rank();
            }
        }
        return moved;
    }
}
