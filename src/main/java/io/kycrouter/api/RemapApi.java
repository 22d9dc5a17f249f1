package io.kycrouter.api;

import io.kycrouter.ingress.Responses;
import io.kycrouter.remap.RemapResult;
import io.kycrouter.remap.Remapper;
import io.kycrouter.store.EventRevisions.StoredDelivery;
import org.apache.camel.Exchange;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Map stored deliveries again after a mapping fix (router/api.yaml): {@code POST /api/inbox/{id}/remap} for one, and
 * {@code POST /api/inbox/remap?vendor=...} for a vendor's deliveries of one event type and/or since a time, a page at a
 * time. Both answer {@code {"remapped", "unchanged", "parked", "failed", "purged", "results": [...]}}.
 */
public final class RemapApi {

    /** Deliveries mapped again by one call when {@code limit} is not given, and at most. */
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Remapper remapper;

    public RemapApi(Remapper remapper) {
        this.remapper = remapper;
    }

    /**
     * One delivery ({@code vendor}, optional, must be its vendor): 404 when unknown or its vendor is no longer
     * configured, 410 when its body was purged.
     */
    public void one(Exchange exchange) {
        long id;
        try {
            id = Long.parseLong(exchange.getMessage().getHeader("id", String.class));
        } catch (NumberFormatException e) {
            throw ApiRejected.invalidParameter("the delivery id must be a number (the inbox id of GET /api/inbox/parked)");
        }
        // the vendor, when given, must be the delivery's: a mistyped id cannot remap another vendor's delivery
        String vendor = QueryParameters.of(exchange).text("vendor");
        StoredDelivery delivery = remapper.find(id).filter(d -> vendor == null || vendor.equals(d.vendor()))
                .orElseThrow(() -> ApiRejected.notFound(vendor == null ? "no delivery with this id"
                        : "no delivery of " + vendor + " with this id"));
        if (!remapper.knows(delivery.vendor())) {
            throw new ApiRejected(404, "unknown_vendor", "the delivery's vendor " + delivery.vendor() + " is no longer configured");
        }
        if (delivery.body() == null) {
            throw new ApiRejected(410, "body_purged", "the delivery's body was purged by retention"
                    + " (kyc.retention.inbox-body-days): there is nothing left to map; its events are kept as they are");
        }
        Responses.json(exchange, 200, answer(List.of(remapper.remap(delivery)), null));
    }

    /**
     * A vendor's deliveries: {@code eventType} (the vendor's event type of their current event) and/or {@code since}
     * (received at or after), or {@code all=true} for every one; {@code limit} per call, {@code afterId} for the next
     * page (the answer's {@code nextAfterId} while {@code more} is true).
     */
    public void many(Exchange exchange) {
        QueryParameters query = QueryParameters.of(exchange);
        String vendor = query.text("vendor");
        if (vendor == null) {
            throw ApiRejected.invalidParameter("vendor is required");
        }
        if (!remapper.knows(vendor)) {
            throw new ApiRejected(404, "unknown_vendor", "no vendor is configured under this name");
        }
        String eventType = query.text("eventType");
        Instant since = since(query.text("since"));
        String all = query.text("all");
        if (all != null && !all.equals("true") && !all.equals("false")) {
            throw ApiRejected.invalidParameter("all must be true or false");
        }
        if (eventType == null && since == null && !"true".equals(all)) {
            throw ApiRejected.invalidParameter("give eventType and/or since; to map every delivery of the vendor again,"
                    + " say so with all=true");
        }
        int limit = query.number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        long afterId = afterId(query.text("afterId"));
        Remapper.Batch batch = remapper.remap(vendor, eventType, since, afterId, limit);
        Map<String, Object> paging = new LinkedHashMap<>();
        paging.put("more", batch.more());
        paging.put("nextAfterId", batch.more() ? batch.nextAfterId() : null);
        Responses.json(exchange, 200, answer(batch.results(), paging));
    }

    private static Map<String, Object> answer(List<RemapResult> results, Map<String, Object> paging) {
        Map<RemapResult.Outcome, Integer> counts = new EnumMap<>(RemapResult.Outcome.class);
        for (RemapResult.Outcome outcome : RemapResult.Outcome.values()) {
            counts.put(outcome, 0);
        }
        results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        Map<String, Object> body = new LinkedHashMap<>();
        counts.forEach((outcome, n) -> body.put(outcome.name(), n));
        body.put("results", results);
        if (paging != null) {
            body.putAll(paging);
        }
        return body;
    }

    private static Instant since(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiRejected.invalidParameter("since must be an ISO-8601 instant, e.g. 2026-11-23T00:00:00Z");
        }
    }

    private static long afterId(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw ApiRejected.invalidParameter("afterId must be an inbox id (the previous answer's nextAfterId)");
        }
    }
}
