package io.kycrouter.canonical;

/** What happened, independent of the vendor. */
public enum CanonicalType {
    VERIFICATION_CREATED,
    VERIFICATION_STARTED,
    VERIFICATION_SUBMITTED,
    VERIFICATION_ON_HOLD,
    VERIFICATION_COMPLETED,
    VERIFICATION_RESUBMITTED,
    VERIFICATION_ABANDONED,
    VERIFICATION_EXPIRED,
    VERIFICATION_RESET,
    VERIFICATION_DELETED,
    /** Data, tags, level or activation changed; the status does not. */
    VERIFICATION_UPDATED,
    /** A step inside a verification (document, liveness, video identification) reported. */
    CHECK_UPDATED,
    /** A vendor event type with no mapping. */
    UNKNOWN
}
