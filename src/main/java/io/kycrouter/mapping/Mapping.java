package io.kycrouter.mapping;

import io.kycrouter.canonical.VerificationEvent;

import java.util.List;

/**
 * What the offline mapper made of one payload.
 *
 * @param events          the canonical event(s); none when the mapping parked
 * @param timeFromPayload whether the events' occurredAt came from the payload (otherwise it is the time received)
 * @param branches        the branches of the routes taken ({@link BranchTrail})
 * @param parkedReason    why the delivery could not be mapped (the router would park it), or null
 */
public record Mapping(String vendor, String eventKey, List<VerificationEvent> events, boolean timeFromPayload,
                      List<String> branches, String parkedReason) {

    public boolean parked() {
        return parkedReason != null;
    }
}
