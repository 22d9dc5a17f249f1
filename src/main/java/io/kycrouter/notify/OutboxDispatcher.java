package io.kycrouter.notify;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers the notifications (router/notifiers.yaml calls {@link #poll} on a timer; the intake calls {@link #dispatch}
 * after new events were stored). Every target is drained by its own worker, which sends the target's new events from
 * its cursor in the event log ({@link CursorDrain}) and, in turn, the outbox rows that are due (retries, deliveries
 * waiting behind an earlier one, replays), so a slow or dead target only ever holds its own worker: the others, and
 * the ingress, never wait for it.
 * An attempt goes straight to the target's own route, {@code direct:notify-target-<name>}, made from the template of
 * its type ({@link TargetRoutes}); its endpoint is looked up once per target, not per attempt.
 */
public final class OutboxDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.notify");

    private final CamelContext context;
    private final Targets targets;
    private final OutboxClaims claims;
    private final OutboxOutcomes outcomes;
    private final TargetSwitch targetSwitch;
    private final ExecutorService workers;
    private final Duration lease;
    private final String instance;
    private final CursorDrain cursorDrain;
    private final Map<String, AtomicBoolean> busy = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> polls = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> logs = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> pools = new ConcurrentHashMap<>();
    private volatile ProducerTemplate producer;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    private final AttemptMetrics metrics;
    private final Clock clock;
    private final ClaimRenewal renewal;
    private final ScheduledExecutorService renewer;

    /**
     * @param lease      how long a claim on a row, or the lease of a target's cursor, holds unless renewed
     * @param pollPeriod how often the timer calls {@link #poll}: a target's cursor is written at least as often
     */
    public OutboxDispatcher(CamelContext context, Targets targets, TargetCursors cursors, OutboxClaims claims,
                            OutboxOutcomes outcomes, TargetSwitch targetSwitch, Duration lease, Duration pollPeriod,
                            ExecutorService workers, AttemptMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.context = context;
        this.targets = targets;
        this.claims = claims;
        this.outcomes = outcomes;
        this.targetSwitch = targetSwitch;
        this.instance = UUID.randomUUID().toString();
        this.workers = workers;
        this.lease = lease;
        this.clock = clock;
        this.renewal = new ClaimRenewal(claims, instance, lease, clock);
        this.cursorDrain = new CursorDrain(cursors, claims, targetSwitch, this, instance, lease, pollPeriod, clock);
        // the claims of attempts in flight are renewed on a thread of their own: a worker waits on its receiver
        this.renewer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "kyc-notify-claims");
        long period = Math.max(1, renewal.period().toMillis());
        renewer.scheduleWithFixedDelay(() -> {
            renewal.renew();
            cursorDrain.renew();
        }, period, period, TimeUnit.MILLISECONDS);
        LOG.info("outbox dispatcher instance {} (claims last {} s, renewed while their attempts run)", instance, lease.toSeconds());
    }

    /**
     * Starts the worker of every target that has none running, to send the new events of the log. Never blocks on a
     * delivery. Called after new events were stored.
     */
    public void dispatch() {
        for (TargetDefinition target : targets.all()) {
            logDue(target).set(true);
            start(target);
        }
    }

    /**
     * The timer's call (kyc.notify.poll-period-ms): also reads the log (events another instance stored) and looks in
     * the outbox for due rows: retries whose time came, deliveries that waited behind an earlier one, replays, claims
     * that lapsed.
     */
    public void poll() {
        for (TargetDefinition target : targets.all()) {
            pollDue(target).set(true);
            logDue(target).set(true);
            start(target);
        }
    }

    private void start(TargetDefinition target) {
        AtomicBoolean running = busy.computeIfAbsent(target.name(), n -> new AtomicBoolean());
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.submit(() -> {
                boolean failed = false;
                try {
                    work(target);
                } catch (Exception e) {
                    failed = true; // the next tick tries again
                    LOG.warn("target={} outbox drain failed: {}", target.name(), e.toString());
                } finally {
                    running.set(false);
                }
                // events stored while this worker was finishing would otherwise wait for the next tick
                if (!failed && logDue(target).get() && context.getStatus().isStarted()) {
                    start(target);
                }
            });
        } catch (RuntimeException e) {
            running.set(false); // executor shutting down
        }
    }

    /**
     * Sends the target's new events and due rows until none is left: a batch from the cursor whenever new events may
     * be there, and, when a poll is due, a batch of rows claimed from the outbox, taken in turn so that neither waits
     * on the other.
     */
    private void work(TargetDefinition target) throws Exception {
        AtomicBoolean pollDue = pollDue(target);
        AtomicBoolean logDue = logDue(target);
        while (context.getStatus().isStarted()) {
            boolean worked = false;
            if (pollDue.getAndSet(false)) {
                List<OutboxRow> claimed = claims.claim(target, instance, lease, target.batchSize());
                if (claimed.size() == target.batchSize()) {
                    pollDue.set(true); // a full batch: more may be due, go on without waiting for the next tick
                }
                send(target, claimed);
                worked = !claimed.isEmpty();
            }
            if (logDue.getAndSet(false)) {
                if (cursorDrain.drainOnce(target)) {
                    logDue.set(true); // more events wait after this batch
                }
                worked = true;
            }
            if (!worked && !pollDue.get() && !logDue.get()) {
                return;
            }
        }
    }

    private AtomicBoolean logDue(TargetDefinition target) {
        return logs.computeIfAbsent(target.name(), n -> new AtomicBoolean());
    }

    /** The target's pool of senders: up to its concurrency of requests in flight. */
    ExecutorService pool(TargetDefinition target) {
        return pools.computeIfAbsent(target.name(), name -> context.getExecutorServiceManager()
                .newThreadPool(this, "kyc-notify-" + name, target.concurrency(), target.concurrency()));
    }

    private AtomicBoolean pollDue(TargetDefinition target) {
        return polls.computeIfAbsent(target.name(), n -> new AtomicBoolean());
    }

    /**
     * Delivers claimed rows with up to {@code concurrency} requests in flight: different verifications in
     * parallel, one verification's rows one after the other, in event order.
     */
    private void send(TargetDefinition target, List<OutboxRow> rows) throws Exception {
        if (rows.isEmpty()) {
            return;
        }
        renewal.hold(target.name(), rows); // their claims must outlive the attempts, however slow the receiver
        try {
            sendHeld(target, rows);
        } finally {
            renewal.drop(target.name(), rows);
        }
    }

    private void sendHeld(TargetDefinition target, List<OutboxRow> rows) throws Exception {
        Map<String, List<OutboxRow>> byVerification = OutboxRow.byVerification(rows);
        ExecutorService pool = pool(target);
        // A row the receiver took is recorded delivered later, with the rest of the batch in one transaction (one
        // commit per batch, not per row). One verification's next row is only sent once its previous row is
        // recorded: a crash can never make the receiver see an older event again after a newer one.
        AtomicBoolean gone = new AtomicBoolean(); // a receiver of this batch answered 410: the target is off
        List<Future<Unrecorded>> running = new ArrayList<>();
        for (List<OutboxRow> verification : byVerification.values()) {
            running.add(pool.submit(() -> {
                Unrecorded previous = null;
                for (int i = 0; i < verification.size(); i++) {
                    if (previous != null) {
                        settled(outcomes.delivered(previous.row().id(), previous.status()), target, previous.row());
                        previous = null;
                    }
                    if (!context.getStatus().isStarted()) {
                        break; // stopping: release() gives the rest back, or the lease lapses
                    }
                    if (gone.get()) {
                        // the target was switched off while this batch was sent: nothing more goes to it; the rows
                        // wait for the claim query, which takes none until the target is enabled again
                        claims.giveBack(instance, verification.subList(i, verification.size()));
                        pollDue(target).set(true);
                        break;
                    }
                    previous = deliver(target, verification.get(i), gone);
                    if (previous == null && target.ordered() && i + 1 < verification.size()) {
                        // not delivered (to be retried, dead, or waiting with a gone target): the verification's
                        // later rows may not overtake it; given back, the claim query takes them in turn (only a
                        // handed-over batch holds several rows of one verification for an ordered target)
                        claims.giveBack(instance, verification.subList(i + 1, verification.size()));
                        pollDue(target).set(true);
                        break;
                    }
                }
                return previous;
            }));
        }
        List<Unrecorded> unrecorded = new ArrayList<>();
        ExecutionException failed = null;
        for (Future<Unrecorded> f : running) {
            try {
                Unrecorded delivered = f.get();
                if (delivered != null) {
                    unrecorded.add(delivered);
                }
            } catch (ExecutionException e) { // one verification failed: the others' 2xx are still recorded
                failed = failed == null ? e : failed;
            }
        }
        if (!unrecorded.isEmpty()) {
            List<Boolean> written = outcomes.deliveredAll(unrecorded.stream()
                    .map(d -> new OutboxOutcomes.Delivered(d.row().id(), d.status())).toList());
            for (int i = 0; i < unrecorded.size(); i++) {
                settled(written.get(i), target, unrecorded.get(i).row());
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** A row its receiver took (2xx), not yet recorded in the outbox. */
    record Unrecorded(OutboxRow row, Integer status) {
    }

    /** How one attempt ended; for a retry, {@code next} is when to try again (null: no more, the row is dead). */
    record Attempted(Kind kind, Integer status, String error, Instant next) {
    }

    /**
     * One attempt, classified, counted and logged; nothing is written, but a 410 switches the target off. A retry's
     * next time comes from the target's retry policy (null when attempts or age are exhausted).
     */
    Attempted attempt(TargetDefinition target, OutboxRow row) {
        long started = System.nanoTime();
        Exchange result = producer().send(endpoint(target), exchange -> {
            exchange.setVariable("target", target);
            exchange.setVariable("eventId", row.eventId());
            exchange.setVariable("partitionKey", row.vendor() + ":" + row.verificationId());
            exchange.getMessage().setBody(row.payload());
        });
        Instant answered = clock.instant();
        Outcome outcome = Outcome.of(result, answered);
        long ms = (System.nanoTime() - started) / 1_000_000;
        int attempt = row.attempts() + 1;
        Instant next = outcome.kind == Kind.RETRY
                ? target.retry().nextAttempt(attempt, row.createdAt(), answered, outcome.retryAfter) : null;
        metrics.attempt(target.name(), outcome.kind == Kind.RETRY && next == null ? "dead" : outcome.kind.name().toLowerCase());
        switch (outcome.kind) {
            case DELIVERED -> LOG.info("target={} event={} outcome=delivered attempt={} status={} ms={}", target.name(),
                    row.eventId(), attempt, outcome.status, ms);
            case GONE -> {
                // The answer is about the target, not about this event: the event is not dead and the attempt is not
                // counted. It waits with the target, so it keeps holding its verification's later events back and is
                // sent first once the target is enabled. Disable first: no claim may take a row of the target once
                // this one's claim is cleared.
                targetSwitch.disableTarget(target.name(), "receiver answered 410 Gone at " + answered);
                LOG.warn("target={} event={} outcome=gone: target disabled, its deliveries wait until it is enabled again"
                        + " (POST /api/targets/{}/enable)", target.name(), row.eventId(), target.name());
            }
            case REFUSED -> LOG.warn("target={} event={} outcome=dead attempt={} status={} error={} (4xx: not retried)",
                    target.name(), row.eventId(), attempt, outcome.status, outcome.error);
            case RETRY -> {
                if (next == null) {
                    LOG.warn("target={} event={} outcome=dead attempt={} status={} error={} (attempts or age exhausted)",
                            target.name(), row.eventId(), attempt, outcome.status, outcome.error);
                } else {
                    LOG.info("target={} event={} outcome=retry attempt={} status={} error={} next={}", target.name(),
                            row.eventId(), attempt, outcome.status, outcome.error, next);
                }
            }
        }
        return new Attempted(outcome.kind, outcome.status, outcome.error, next);
    }

    /**
     * One attempt of a claimed row. A 2xx is returned for the caller to record (with others, in one transaction);
     * every other outcome is recorded before it returns null. A 410 also sets {@code gone}.
     */
    Unrecorded deliver(TargetDefinition target, OutboxRow row, AtomicBoolean gone) {
        Attempted a = attempt(target, row);
        switch (a.kind()) {
            case DELIVERED -> {
                return new Unrecorded(row, a.status());
            }
            case GONE -> {
                gone.set(true);
                settled(outcomes.waitForTarget(row.id(), instance, a.status(), "target disabled: 410 Gone"), target, row);
            }
            case REFUSED -> settled(outcomes.dead(row.id(), instance, a.status(), a.error()), target, row);
            case RETRY -> settled(a.next() == null ? outcomes.dead(row.id(), instance, a.status(), a.error())
                    : outcomes.retryAt(row.id(), instance, a.next(), a.status(), a.error()), target, row);
        }
        return null;
    }

    /** A late outcome (the claim lapsed and the row moved on) is not written over the newer state: say so. */
    private static void settled(boolean written, TargetDefinition target, OutboxRow row) {
        if (!written) {
            LOG.warn("target={} event={} outcome not recorded: the claim lapsed before the attempt ended (its renewal"
                    + " failed for a whole lease: database unreachable, or this instance stalled)", target.name(), row.eventId());
        }
    }

    /**
     * Called when the router stops: lets the attempts in flight finish and record their outcome (no new row is
     * started once the context is stopping), then gives back this instance's remaining claims, so another
     * instance can take them at once and nothing already answered 2xx is sent twice.
     */
    public void release() {
        workers.shutdown();
        pools.values().forEach(ExecutorService::shutdown);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try {
            for (ExecutorService pool : pools.values()) {
                pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        renewer.shutdownNow(); // the attempts are over: nothing left to keep claimed
        try {
            claims.release(instance);
            cursorDrain.release(targets);
        } catch (RuntimeException e) {
            LOG.debug("could not release outbox claims and cursors: {}", e.getMessage());
        }
    }

    /** The target's own route (TargetRoutes), resolved once: a URI given at each send is parsed and looked up again. */
    private Endpoint endpoint(TargetDefinition target) {
        return endpoints.computeIfAbsent(target.name(), name -> context.getEndpoint(TargetRoutes.ENDPOINT_PREFIX + name));
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.createProducerTemplate();
                }
            }
        }
        return producer;
    }

    enum Kind { DELIVERED, RETRY, REFUSED, GONE }

    /** How one attempt ended: 2xx delivered; 410 gone; 408/425/429/5xx and transport errors retried; other 4xx refused. */
    static final class Outcome {
        final Kind kind;
        final Integer status;
        final String error;
        final Duration retryAfter;

        Outcome(Kind kind, Integer status, String error, Duration retryAfter) {
            this.kind = kind;
            this.status = status;
            this.error = error;
            this.retryAfter = retryAfter;
        }

        static Outcome of(Exchange result, Instant now) {
            Exception failure = result.getException();
            if (failure != null) {
                return new Outcome(Kind.RETRY, null, describe(failure), null);
            }
            Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status == null || (status >= 200 && status < 300)) {
                return new Outcome(Kind.DELIVERED, status, null, null);
            }
            String error = "HTTP " + status;
            if (status == 410) {
                return new Outcome(Kind.GONE, status, error, null);
            }
            if (status == 408 || status == 425 || status == 429 || status >= 500) {
                return new Outcome(Kind.RETRY, status, error, retryAfter(result.getMessage().getHeader("Retry-After", String.class), now));
            }
            return new Outcome(Kind.REFUSED, status, error, null);
        }

        /** Retry-After in seconds or as an HTTP date ({@code now} is the time the answer came). */
        static Duration retryAfter(String value, Instant now) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
            } catch (NumberFormatException e) {
                try {
                    Duration until = Duration.between(now,
                            ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                    return until.isNegative() ? Duration.ZERO : until;
                } catch (RuntimeException ignored) {
                    return null;
                }
            }
        }

        static String describe(Throwable failure) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String kind = root instanceof UnknownHostException ? "unknown host"
                    : root instanceof ConnectException ? "connection refused"
                    : root.getClass().getSimpleName();
            String message = root.getMessage() == null ? "" : ": " + root.getMessage();
            String text = kind + message;
            return text.length() > 300 ? text.substring(0, 300) : text;
        }
    }
}
