package io.kycrouter.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds how fast one client can guess the operator token (the API's bearer token and the console's sign-in): after
 * {@code maxFailures} wrong or missing tokens from one address within {@code window}, every call from that address is
 * refused, before its token is looked at, until the window ends (the caller answers 429 with Retry-After). A right
 * token clears the address's count. The address is the connection's peer, never a header a client could write:
 * behind a proxy every client shares the proxy's address, so one client guessing locks the others out for the
 * window too, and the operators call the API from inside. At most {@code maxAddresses} addresses are tracked; when
 * that many guess at once, a new one is refused until their windows end (a flood from many addresses never grows
 * the map without bound, and never gets unlimited guesses).
 */
public final class TokenGuessThrottle {

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final int maxAddresses;
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

    private static final class Failures {
        final Instant windowEnds;
        int count;

        Failures(Instant windowEnds) {
            this.windowEnds = windowEnds;
        }
    }

    public TokenGuessThrottle(Clock clock, int maxFailures, Duration window, int maxAddresses) {
        this.clock = clock;
        this.maxFailures = Math.max(1, maxFailures);
        this.window = window;
        this.maxAddresses = Math.max(1, maxAddresses);
    }

    /** How long the address must wait before its next try, or empty when it may try now. */
    public Optional<Duration> refused(String address) {
        Instant now = clock.instant();
        Failures f = byAddress.get(key(address));
        if (f == null) {
            if (byAddress.size() >= maxAddresses) {
                byAddress.values().removeIf(x -> !x.windowEnds.isAfter(now));
                if (byAddress.size() >= maxAddresses) {
                    return Optional.of(window);
                }
            }
            return Optional.empty();
        }
        if (!f.windowEnds.isAfter(now)) {
            byAddress.remove(key(address), f);
            return Optional.empty();
        }
        synchronized (f) {
            return f.count >= maxFailures ? Optional.of(Duration.between(now, f.windowEnds)) : Optional.empty();
        }
    }

    /** A wrong or missing token from the address. */
    public void failed(String address) {
        Instant now = clock.instant();
        Failures f = byAddress.compute(key(address),
                (k, old) -> old == null || !old.windowEnds.isAfter(now) ? new Failures(now.plus(window)) : old);
        synchronized (f) {
            f.count++;
        }
    }

    /** The right token from the address: its count starts again. */
    public void succeeded(String address) {
        byAddress.remove(key(address));
    }

    /** Addresses with failures in a window still open (tests, metrics). */
    public int tracked() {
        return byAddress.size();
    }

    /** A wait in whole seconds for Retry-After, at least 1. */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    private static String key(String address) {
        return address == null ? "?" : address;
    }
}
