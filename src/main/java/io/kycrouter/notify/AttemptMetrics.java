package io.kycrouter.notify;

/**
 * Where the dispatcher counts its attempts (the observe package's meters implement it). Owned by notify, which
 * calls it, so that notify does not depend on the metrics package.
 */
@FunctionalInterface
public interface AttemptMetrics {

    /** One attempt to a target ended: delivered, retry, refused, gone or dead. */
    void attempt(String target, String outcome);
}
