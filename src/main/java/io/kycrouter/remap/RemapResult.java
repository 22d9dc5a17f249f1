package io.kycrouter.remap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * What mapping one stored delivery again did. {@code eventIds}: the delivery's current event afterwards (the new one
 * when remapped); {@code supersedes}: the event it replaced; {@code error}: why the mapping failed (never payload text).
 */
@JsonPropertyOrder({"inboxId", "outcome", "eventIds", "supersedes", "error"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemapResult(long inboxId, Outcome outcome, List<String> eventIds, String supersedes, String error) {

    /** The outcomes, written in lower case in the answer. */
    public enum Outcome {
        /** A new event was written; the old one, if any, is superseded. */
        remapped,
        /** The current routes map it to exactly its current event: nothing written, nothing sent. */
        unchanged,
        /** It has no event and the current routes still cannot map it: it stays parked with the new error. */
        parked,
        /** It has an event, and the current routes cannot map it: its event is kept, nothing written. */
        failed,
        /** Retention purged its body: there is nothing to map. */
        purged
    }
}
