package io.kycrouter.remap;

import io.kycrouter.canonical.Canonicalizer;
import io.kycrouter.canonical.VerificationEvent;
import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.JsonBodies;
import io.kycrouter.remap.RemapResult.Outcome;
import io.kycrouter.store.EventRevisions;
import io.kycrouter.store.EventRevisions.StoredDelivery;
import io.kycrouter.store.StoreUnavailable;
import io.kycrouter.vendors.VendorDefinition;
import io.kycrouter.vendors.VendorRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps stored deliveries again through the current routes: the same mapping route as the ingress (router/canonical.yaml,
 * {@code direct:map}), then {@link EventRevisions} writes the new event in place of the current one, one transaction
 * per delivery. A delivery whose new event says what its current one says is left alone.
 */
public final class Remapper {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.remap");

    /** Re-reads after another writer changed a delivery between its mapping and its write. */
    private static final int ATTEMPTS = 5;

    /** The deliveries of one batch and whether more follow the last one ({@code nextAfterId}). */
    public record Batch(List<RemapResult> results, boolean more, long nextAfterId) {
    }

    private final EventRevisions revisions;
    private final VendorRegistry vendors;
    private final JsonBodies json;
    private final ProducerTemplate routes;
    private final String mapRoute;
    private final Runnable afterAppend;

    /**
     * @param mapRoute    the endpoint of the mapping route the ingress uses ({@code direct:map})
     * @param afterAppend run after new events were stored (wakes the outbox dispatcher)
     */
    public Remapper(EventRevisions revisions, VendorRegistry vendors, JsonBodies json, ProducerTemplate routes,
                    String mapRoute, Runnable afterAppend) {
        this.revisions = revisions;
        this.vendors = vendors;
        this.json = json;
        this.routes = routes;
        this.mapRoute = mapRoute;
        this.afterAppend = afterAppend;
    }

    public boolean knows(String vendor) {
        return vendors.find(vendor).isPresent();
    }

    /** The stored delivery, or empty when there is none with this id. */
    public Optional<StoredDelivery> find(long inboxId) {
        return revisions.find(inboxId);
    }

    /**
     * One page of a vendor's deliveries after inbox id {@code afterId}, oldest first (see
     * {@link EventRevisions#select}), each mapped again.
     */
    public Batch remap(String vendor, String eventType, Instant since, long afterId, int limit) {
        EventRevisions.Page page = revisions.select(vendor, eventType, since, afterId, limit);
        List<RemapResult> results = new ArrayList<>(page.deliveries().size());
        long last = afterId;
        for (StoredDelivery delivery : page.deliveries()) {
            results.add(remap(delivery));
            last = delivery.id();
        }
        return new Batch(results, page.more(), last);
    }

    /** Maps the delivery again and writes what changed. */
    public RemapResult remap(StoredDelivery delivery) {
        StoredDelivery d = delivery;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (d.body() == null) {
                return new RemapResult(d.id(), Outcome.purged, currentIds(d), null,
                        "the body was purged by retention; the delivery cannot be mapped again");
            }
            Exchange mapped;
            try {
                mapped = map(d);
            } catch (RuntimeException e) { // the vendor is no longer configured, or the stored body no longer parses
                return failed(d, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            VerificationEvent event = mapped.getVariable("event", VerificationEvent.class);
            if (event == null) {
                return failed(d, String.valueOf(mapped.getVariable("mappingError")));
            }
            if (d.current() != null && revisions.unchanged(d.current(), event)) {
                return new RemapResult(d.id(), Outcome.unchanged, currentIds(d), null, null);
            }
            boolean written;
            try {
                written = revisions.write(d, event);
            } catch (IllegalArgumentException e) { // the new event does not fit the store
                return failed(d, e.getMessage());
            }
            if (written) {
                afterAppend.run();
                String supersedes = d.current() == null ? null : d.current().eventId();
                LOG.info("vendor={} inbox={} remapped: event={} type={} status={} supersedes={}", d.vendor(), d.id(),
                        event.eventId(), event.type(), event.status(), supersedes);
                return new RemapResult(d.id(), Outcome.remapped, List.of(event.eventId()), supersedes, null);
            }
            d = revisions.find(d.id()).orElseThrow(); // written meanwhile by another writer: map what it is now
        }
        throw new StoreUnavailable("inbox row " + delivery.id() + " kept changing while it was mapped again", null);
    }

    /** Runs the delivery through the mapping route, as the ingress does; the exchange holds the event or the error. */
    private Exchange map(StoredDelivery d) {
        VendorDefinition vendor = vendors.find(d.vendor())
                .orElseThrow(() -> new IllegalStateException("the vendor " + d.vendor() + " is no longer configured"));
        Delivery stored = Delivery.stored(vendor.name(), vendor.envelope(), d.body(), d.receivedAt(), json);
        Object document = stored.json();
        return routes.send(mapRoute, exchange -> {
            exchange.setVariable("vendor", vendor.name());
            exchange.setVariable("eventKey", d.eventKey());
            exchange.setVariable("inboxId", d.id());
            exchange.setVariable("receivedAt", d.receivedAt());
            exchange.setVariable("mappingRevision", d.nextRevision());
            exchange.getMessage().setBody(document);
        });
    }

    /** The new mapping failed: a delivery without an event stays parked with the error; one with an event keeps it. */
    private RemapResult failed(StoredDelivery d, String error) {
        String safe = Canonicalizer.printable(error, 300);
        if (d.current() == null) {
            revisions.park(d, error);
            return new RemapResult(d.id(), Outcome.parked, List.of(), null, safe);
        }
        LOG.warn("vendor={} inbox={} mapping again failed, its event {} is kept: {}", d.vendor(), d.id(),
                d.current().eventId(), safe);
        return new RemapResult(d.id(), Outcome.failed, currentIds(d), null, safe);
    }

    private static List<String> currentIds(StoredDelivery d) {
        return d.current() == null ? List.of() : List.of(d.current().eventId());
    }
}
