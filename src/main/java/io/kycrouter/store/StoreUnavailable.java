package io.kycrouter.store;

/** The database could not be reached or refused the write for a reason that a retry may fix. */
public class StoreUnavailable extends RuntimeException {

    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
