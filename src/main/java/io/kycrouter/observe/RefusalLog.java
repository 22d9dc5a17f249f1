package io.kycrouter.observe;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refused webhook deliveries, kept in memory only: per vendor and reason, one counter per minute over the last day,
 * and the latest refusals in a bounded ring. Refusals are never written to the database: a flood of unauthenticated
 * requests must not cause writes. Lost on restart. The vendor is a configured name or "unknown" and the reason an
 * error code of the router, so the number of counters is bounded whatever senders send.
 */
public final class RefusalLog {

    /** One refusal as the console lists it: no payload, no sender address. */
    public record Refusal(Instant at, String vendor, String reason) {
    }

    static final int MINUTES = 24 * 60;

    private final Clock clock;
    private final int ringSize;
    private final Instant since;
    private final Map<String, MinuteCounters> counters = new ConcurrentHashMap<>();
    private final Deque<Refusal> latest = new ArrayDeque<>();

    public RefusalLog(Clock clock, int ringSize) {
        this.clock = clock;
        this.ringSize = ringSize;
        this.since = clock.instant();
    }

    /** When counting began (the router's start): older refusals are not known. */
    public Instant since() {
        return since;
    }

    public void record(String vendor, String reason) {
        Instant now = clock.instant();
        counters.computeIfAbsent(vendor + '|' + reason, k -> new MinuteCounters()).add(now.getEpochSecond() / 60);
        synchronized (latest) {
            latest.addFirst(new Refusal(now, vendor, reason));
            while (latest.size() > ringSize) {
                latest.removeLast();
            }
        }
    }

    /** The latest refusals, newest first. */
    public List<Refusal> latest(int limit) {
        synchronized (latest) {
            return latest.stream().limit(limit).toList();
        }
    }

    /** Per vendor, per reason: the refusals in the last {@code minutes} minutes (the current minute included). */
    public Map<String, Map<String, Long>> counts(int minutes) {
        long now = clock.instant().getEpochSecond() / 60;
        Map<String, Map<String, Long>> result = new TreeMap<>();
        counters.forEach((key, c) -> {
            long n = c.sum(now - minutes + 1, now);
            if (n > 0) {
                String[] parts = key.split("\\|", 2);
                result.computeIfAbsent(parts[0], v -> new TreeMap<>()).merge(parts[1], n, Long::sum);
            }
        });
        return result;
    }

    /** Per vendor: refusals per hour over the last day, keyed by the hour's epoch second (UTC hour start). */
    public Map<String, Map<Long, Long>> hourly() {
        long now = clock.instant().getEpochSecond() / 60;
        Map<String, Map<Long, Long>> result = new TreeMap<>();
        counters.forEach((key, c) -> {
            String vendor = key.substring(0, key.indexOf('|'));
            c.perMinute(now - MINUTES + 1, now).forEach((minute, n) ->
                    result.computeIfAbsent(vendor, v -> new LinkedHashMap<>()).merge(minute / 60 * 3600, n, Long::sum));
        });
        return result;
    }

    /** A ring of counters, one per minute of the last day, each stamped with its minute so stale slots read zero. */
    private static final class MinuteCounters {
        private final long[] minute = new long[MINUTES];
        private final long[] count = new long[MINUTES];

        synchronized void add(long m) {
            int slot = (int) (m % MINUTES);
            if (minute[slot] != m) {
                minute[slot] = m;
                count[slot] = 0;
            }
            count[slot]++;
        }

        synchronized long sum(long from, long to) {
            long total = 0;
            for (int i = 0; i < MINUTES; i++) {
                if (count[i] > 0 && minute[i] >= from && minute[i] <= to) {
                    total += count[i];
                }
            }
            return total;
        }

        synchronized Map<Long, Long> perMinute(long from, long to) {
            Map<Long, Long> values = new TreeMap<>();
            for (int i = 0; i < MINUTES; i++) {
                if (count[i] > 0 && minute[i] >= from && minute[i] <= to) {
                    values.put(minute[i], count[i]);
                }
            }
            return values;
        }
    }
}
