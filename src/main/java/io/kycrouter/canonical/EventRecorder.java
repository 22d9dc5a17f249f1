package io.kycrouter.canonical;

/**
 * Where the canonical route's steps ({@link Canonicalizer}) record an event, or why a delivery could not become one.
 * Owned by the canonical package, which calls it, and implemented by the store, so canonical depends on no store.
 */
public interface EventRecorder {

    /** Stores the event with its verification's new state; false when it was already stored. */
    boolean append(VerificationEvent event);

    /** Keeps the failure on the delivery's inbox row: retried by the inbox recovery, or parked when permanent. */
    void recordFailure(long inboxId, String error, boolean permanent);

    /** Whether retrying cannot help (the payload itself does not fit), as opposed to an outage. */
    boolean permanent(Throwable cause);

    /** The failure as kept on the inbox row: its kind and a safe cut of its message, never the payload. */
    String describe(Throwable cause);
}
