package io.kycrouter.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;
import io.kycrouter.canonical.VerificationEvent;
import io.kycrouter.delivery.DeliveryRejected;
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
 * The operator's view of outbound deliveries (routes/api.yaml): list them (dead letters above all), replay one,
 * replay a target's since a time (including events that never had a delivery to it), enable a target again.
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
        String state = query(exchange, "state");
        if (state != null && !STATES.contains(state)) {
            throw DeliveryRejected.badRequest("invalid_parameter", "state must be pending, delivered or dead");
        }
        String target = query(exchange, "target");
        int limit = 100;
        String limitText = query(exchange, "limit");
        if (limitText != null) {
            try {
                limit = Math.max(1, Math.min(1000, Integer.parseInt(limitText)));
            } catch (NumberFormatException e) {
                throw DeliveryRejected.badRequest("invalid_parameter", "limit must be a number");
            }
        }
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
            throw DeliveryRejected.badRequest("invalid_parameter", "the delivery id must be a number");
        }
        if (!outbox.replay(id)) {
            throw new DeliveryRejected(404, "not_found", "no dead or delivered delivery with this id");
        }
        Responses.json(exchange, 202, Map.of("status", "replaying", "replayed", 1));
    }

    public void replayMany(Exchange exchange) {
        String name = query(exchange, "target");
        if (name == null) {
            throw DeliveryRejected.badRequest("invalid_parameter", "target is required");
        }
        TargetDefinition target = targets.find(name).orElseThrow(() ->
                new DeliveryRejected(404, "not_found", "no notifier target of this name"));
        Instant since = Instant.EPOCH;
        String sinceText = query(exchange, "since");
        if (sinceText != null) {
            try {
                since = Instant.parse(sinceText);
            } catch (DateTimeParseException e) {
                throw DeliveryRejected.badRequest("invalid_parameter", "since must be an ISO-8601 instant, e.g. 2026-11-23T00:00:00Z");
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
            throw new DeliveryRejected(404, "not_found", "no notifier target of this name");
        }
        boolean wasDisabled = outbox.enableTarget(name);
        Responses.json(exchange, 200, Map.of("target", name, "enabled", true, "wasDisabled", wasDisabled));
    }

    private static String query(Exchange exchange, String name) {
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            if (key.equals(name)) {
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                return value.isBlank() ? null : value;
            }
        }
        return null;
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
