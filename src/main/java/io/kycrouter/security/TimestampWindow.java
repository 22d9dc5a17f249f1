package io.kycrouter.security;

import io.kycrouter.ingress.Delivery;
import io.kycrouter.ingress.DeliveryRejected;

import java.time.Duration;
import java.time.Instant;

/** A signed timestamp header that must lie within a tolerance of now, so captured deliveries can't be replayed later. */
public record TimestampWindow(String header, Duration tolerance) {

    /** Returns the header's raw value after checking it; 401 when missing, not a number, or outside the window. */
    public String check(Delivery delivery, Instant now) {
        String raw = delivery.header(header);
        if (raw == null || raw.isBlank()) {
            throw DeliveryRejected.unauthorized("missing timestamp header " + header);
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw DeliveryRejected.unauthorized("timestamp header " + header + " is not a unix time in seconds");
        }
        Instant sent = value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
        long skew = Math.abs(Duration.between(sent, now).getSeconds());
        if (skew > tolerance.getSeconds()) {
            throw DeliveryRejected.unauthorized("stale timestamp: " + header + " is " + skew
                    + " s away from now; the tolerance is " + tolerance.getSeconds() + " s");
        }
        return raw.trim();
    }
}
