package io.kycrouter.canonical;

/**
 * The few statuses shared by all vendors. The rank orders them along the verification lifecycle; it breaks
 * ties between events carrying the same timestamp (the later stage wins).
 */
public enum CanonicalStatus {
    NOT_STARTED(0, false),
    IN_PROGRESS(1, false),
    PENDING_REVIEW(2, false),
    ON_HOLD(3, false),
    RESUBMISSION_REQUIRED(4, false),
    ABANDONED(5, false),
    EXPIRED(5, false),
    APPROVED(6, true),
    REJECTED(6, true),
    DELETED(7, false),
    /** A vendor value with no mapping: the event is kept, the verification's state is not moved by it. */
    UNKNOWN(-1, false);

    private final int rank;
    private final boolean finalByDefault;

    CanonicalStatus(int rank, boolean finalByDefault) {
        this.rank = rank;
        this.finalByDefault = finalByDefault;
    }

    public int rank() {
        return rank;
    }

    /** APPROVED and REJECTED are decisions; a mapping may say otherwise for a given event. */
    public boolean finalByDefault() {
        return finalByDefault;
    }
}
