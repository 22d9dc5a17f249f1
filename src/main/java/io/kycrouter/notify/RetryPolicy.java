package io.kycrouter.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter and a cap, a maximum number of attempts and a maximum age. A receiver's
 * Retry-After is honoured (never retried earlier than it asks, within the cap of one day).
 */
public record RetryPolicy(int maxAttempts, Duration maxAge, Duration initialDelay, Duration maxDelay, double jitter) {

    /** When to try again after {@code attempts} failed attempts, or null when the row is out of attempts or age. */
    public Instant nextAttempt(int attempts, Instant createdAt, Instant now, Duration retryAfter) {
        if (attempts >= maxAttempts || !now.isBefore(createdAt.plus(maxAge))) {
            return null;
        }
        double base = initialDelay.toMillis() * Math.pow(2, Math.max(0, attempts - 1));
        double capped = Math.min(base, maxDelay.toMillis());
        double spread = capped * jitter;
        long delay = Math.round(capped - spread + ThreadLocalRandom.current().nextDouble() * 2 * spread);
        if (retryAfter != null) {
            delay = Math.max(delay, Math.min(retryAfter.toMillis(), Duration.ofDays(1).toMillis()));
        }
        Instant next = now.plusMillis(Math.max(0, delay));
        return next.isAfter(createdAt.plus(maxAge)) && attempts > 0 ? createdAt.plus(maxAge) : next;
    }
}
