package io.kycrouter.observe;

import io.kycrouter.notify.AttemptMetrics;
import io.kycrouter.notify.OutboxDepth;
import io.kycrouter.notify.TargetDefinition;
import io.kycrouter.notify.Targets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The router's own metrics, in the Micrometer registry Camel exposes in Prometheus format on the management
 * port ({@code /observe/metrics}):
 * <ul>
 *   <li>{@code kyc_webhooks_received_total{vendor,outcome}}: accepted, duplicate, or the error code of a refusal</li>
 *   <li>{@code kyc_webhook_processing_seconds{vendor}}: time from request to answer</li>
 *   <li>{@code kyc_outbox_pending{target}}, {@code kyc_outbox_oldest_pending_seconds{target}}, {@code kyc_outbox_dead{target}}</li>
 *   <li>{@code kyc_notify_attempts_total{target,outcome}}: delivered, retry, dead, gone</li>
 * </ul>
 * Vendor and target tags only take configured names, so a sender cannot blow up the series count.
 */
public final class RouterMetrics implements AttemptMetrics {

    private static final Set<String> ACCEPTED = Set.of("accepted", "duplicate");

    private final MeterRegistry registry;
    private final Set<String> vendors;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final RefusalLog refusals;

    public RouterMetrics(MeterRegistry registry, Set<String> vendors, RefusalLog refusals) {
        this.registry = registry;
        this.vendors = Set.copyOf(vendors);
        this.refusals = refusals;
    }

    /** A delivery answered: counted by its outcome (accepted, duplicate or the error code); {@code detail}: a refusal's message. */
    public void received(String vendor, String outcome, String detail, long nanos) {
        String v = vendors.contains(vendor) ? vendor : "unknown";
        counters.computeIfAbsent("r|" + v + "|" + outcome, k -> Counter.builder("kyc.webhooks.received")
                .description("Webhook deliveries received, by vendor and outcome")
                .tag("vendor", v).tag("outcome", outcome).register(registry)).increment();
        timers.computeIfAbsent(v, k -> Timer.builder("kyc.webhook.processing")
                .description("Time from a webhook request to its answer")
                .tag("vendor", v).publishPercentileHistogram().register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (!ACCEPTED.contains(outcome)) {
            refusals.record(v, RefusalReasons.of(outcome, detail)); // in memory only (the console): a refusal is never written
        }
    }

    /** A request answered 503 before its body was read, and why (e.g. {@code body_memory}). */
    public void shed(String reason) {
        counters.computeIfAbsent("s|" + reason, k -> Counter.builder("kyc.ingress.shed")
                .description("Requests answered 503 before their body was read, by reason")
                .tag("reason", reason).register(registry)).increment();
    }

    /** The bytes of request bodies in flight, as held in the ingress's body memory budget (counted as they arrive). */
    public void bodyMemory(Supplier<Number> inUse) {
        Gauge.builder("kyc.ingress.body.memory", inUse)
                .description("Bytes of request bodies in flight (as they arrive), against kyc.ingress.body-memory")
                .baseUnit("bytes").register(registry);
    }

    /** The database compaction's runs that rewrote something (an embedded H2 file): every commit waits while one runs. */
    public LongConsumer compactionRuns() {
        Timer runs = Timer.builder("kyc.db.compaction")
                .description("Runs of the embedded H2 file's compaction that rewrote chunks; commits wait while one runs")
                .register(registry);
        return nanos -> runs.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The requests the ingress works on now (body arrived, not yet answered), against kyc.ingress.max-requests-in-flight. */
    public void requestsInFlight(Supplier<Number> inFlight) {
        Gauge.builder("kyc.ingress.requests.in.flight", inFlight)
                .description("Requests being worked on (body arrived, not yet answered), against kyc.ingress.max-requests-in-flight")
                .register(registry);
    }

    @Override
    public void attempt(String target, String outcome) {
        counters.computeIfAbsent("n|" + target + "|" + outcome, k -> Counter.builder("kyc.notify.attempts")
                .description("Outbound delivery attempts, by target and outcome")
                .tag("target", target).tag("outcome", outcome).register(registry)).increment();
    }

    /** Outbox gauges per target, read from the database at most every few seconds whatever the scrape rate. */
    public void outboxGauges(Targets targets, OutboxDepth outbox) {
        // gauges hold their object weakly: strongReference, or the snapshot is collected and they read NaN
        OutboxSnapshot snapshot = new OutboxSnapshot(outbox, targets.all().stream().map(TargetDefinition::name).toList(),
                Duration.ofSeconds(5));
        for (TargetDefinition target : targets.all()) {
            String name = target.name();
            Gauge.builder("kyc.outbox.pending", snapshot, s -> s.get(name)[0])
                    .description("Deliveries waiting: events of the log after the target's cursor, and pending outbox rows").strongReference(true).tag("target", name).register(registry);
            Gauge.builder("kyc.outbox.oldest.pending.seconds", snapshot, s -> s.get(name)[1] / 1000.0)
                    .description("Age of the oldest waiting delivery").strongReference(true).tag("target", name).register(registry);
            Gauge.builder("kyc.outbox.dead", snapshot, s -> s.get(name)[2])
                    .description("Dead letters (deliveries given up, awaiting replay)").strongReference(true).tag("target", name).register(registry);
        }
    }

    /** A cached read of the outbox's depth, age and dead letters per target. */
    static final class OutboxSnapshot {
        private final OutboxDepth outbox;
        private final java.util.List<String> targets;
        private final long maxAgeNanos;
        private volatile Map<String, long[]> values = Map.of();
        private volatile long readAt;

        OutboxSnapshot(OutboxDepth outbox, java.util.List<String> targets, Duration maxAge) {
            this.outbox = outbox;
            this.targets = targets;
            this.maxAgeNanos = maxAge.toNanos();
            this.readAt = System.nanoTime() - maxAgeNanos - 1;
        }

        long[] get(String target) {
            if (System.nanoTime() - readAt > maxAgeNanos) {
                synchronized (this) {
                    if (System.nanoTime() - readAt > maxAgeNanos) {
                        try {
                            values = outbox.depth(targets);
                        } catch (RuntimeException e) {
                            // database away: keep the last values
                        }
                        readAt = System.nanoTime();
                    }
                }
            }
            return values.getOrDefault(target, new long[3]);
        }
    }
}
