package io.kycrouter.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;
import io.kycrouter.canonical.VerificationEvent;
import io.kycrouter.ingress.Responses;
import io.kycrouter.notify.Outbox;
import io.kycrouter.notify.TargetDefinition;
import io.kycrouter.notify.Targets;
import org.apache.camel.Exchange;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's view of outbound deliveries (router/api.yaml): list those that have a row, the ones that failed at
 * least once (dead letters above all; a delivered event leaves none), replay one, replay a target's since a time
 * (including the events from before the target existed), enable a target again.
 */
public final class DeliveriesApi {

    private static final Set<String> STATES = Set.of("pending", "delivered", "dead");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Outbox outbox;
    private final Targets targets;

    public DeliveriesApi(Outbox outbox, Targets targets) {
        this.outbox = outbox;
        this.targets = targets;
    }

    public void list(Exchange exchange) {
        QueryParameters query = QueryParameters.of(exchange);
        String state = query.text("state");
        if (state != null && !STATES.contains(state)) {
            throw ApiRejected.invalidParameter("state must be pending, delivered or dead");
        }
        String target = query.text("target");
        int limit = query.number("limit", 100, 1, 1000);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveries", outbox.list(state, target, limit));
        body.put("disabledTargets", outbox.disabledTargets());
        Responses.json(exchange, 200, body);
    }

    public void replayOne(Exchange exchange) {
        long id;
        try {
            id = Long.parseLong(exchange.getMessage().getHeader("id", String.class));
        } catch (NumberFormatException e) {
            throw ApiRejected.invalidParameter("the delivery id must be a number");
        }
        if (!outbox.replay(id)) {
            throw ApiRejected.notFound("no dead or delivered delivery with this id");
        }
        Responses.json(exchange, 202, Map.of("status", "replaying", "replayed", 1));
    }

    public void replayMany(Exchange exchange) {
        QueryParameters query = QueryParameters.of(exchange);
        String name = query.text("target");
        if (name == null) {
            throw ApiRejected.invalidParameter("target is required");
        }
        TargetDefinition target = targets.find(name).orElseThrow(() -> ApiRejected.notFound("no notifier target of this name"));
        Instant since = Instant.EPOCH;
        String sinceText = query.text("since");
        if (sinceText != null) {
            try {
                since = Instant.parse(sinceText);
            } catch (DateTimeParseException e) {
                throw ApiRejected.invalidParameter("since must be an ISO-8601 instant, e.g. 2026-11-23T00:00:00Z");
            }
        }
        int dead = outbox.replayDead(name, since);
        int backfilled = outbox.backfill(target, since, payload -> target.filter().matches(event(payload)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "replaying");
        body.put("target", name);
        body.put("deadReplayed", dead);
        body.put("neverDeliveredEnqueued", backfilled);
        Responses.json(exchange, 202, body);
    }

    public void enableTarget(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        if (targets.find(name).isEmpty()) {
            throw ApiRejected.notFound("no notifier target of this name");
        }
        boolean wasDisabled = outbox.enableTarget(name);
        Responses.json(exchange, 200, Map.of("target", name, "enabled", true, "wasDisabled", wasDisabled));
    }

    /** The fields a target filter looks at, read back from a stored canonical event. */
    @SuppressWarnings("unchecked")
    static VerificationEvent event(String payload) {
        try {
            Map<String, Object> e = JSON.readValue(payload, Map.class);
            return new VerificationEvent(null, (String) e.get("vendor"), null, null,
                    CanonicalType.valueOf((String) e.get("type")),
                    e.get("status") == null ? null : CanonicalStatus.valueOf((String) e.get("status")),
                    Boolean.TRUE.equals(e.get("final")), null, null, null, List.of(), List.of(), false, null, null, 0);
        } catch (Exception ex) {
            throw new IllegalStateException("stored canonical event unreadable", ex);
        }
    }
}
