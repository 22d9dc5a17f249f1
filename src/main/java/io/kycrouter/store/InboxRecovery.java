package io.kycrouter.store;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.JsonBodies;
import io.kycrouter.vendors.VendorDefinition;
import io.kycrouter.vendors.VendorRegistry;
import org.apache.camel.Exchange;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Finds inbox rows that were accepted but never became a canonical event (the process stopped in between,
 * or the event could not be written) and feeds them to the canonical route again (router/canonical.yaml).
 */
public final class InboxRecovery {

    private final Inbox inbox;
    private final VendorRegistry vendors;
    private final JsonBodies json;
    private final Clock clock;
    private final Duration grace;
    private final int maxAttempts;
    private final int batchSize;

    public InboxRecovery(Inbox inbox, VendorRegistry vendors, JsonBodies json, Clock clock, Duration grace,
                         int maxAttempts, int batchSize) {
        this.inbox = inbox;
        this.vendors = vendors;
        this.json = json;
        this.clock = clock;
        this.grace = grace;
        this.maxAttempts = maxAttempts;
        this.batchSize = batchSize;
    }

    public List<Inbox.Pending> pending() throws SQLException {
        return inbox.pending(clock.instant().minus(grace), maxAttempts, batchSize);
    }

    /**
     * Turns one pending row into the exchange the canonical route expects: the stored body read as the ingress reads
     * it ({@link Delivery#json()}), unwrapped from the vendor's envelope (Treezor's {@code $.webhook}).
     */
    public void prepare(Exchange exchange) {
        Inbox.Pending row = exchange.getMessage().getBody(Inbox.Pending.class);
        exchange.setVariable("vendor", row.vendor());
        exchange.setVariable("eventKey", row.eventKey());
        exchange.setVariable("inboxId", row.id());
        exchange.setVariable("receivedAt", row.receivedAt());
        VendorDefinition vendor = vendors.find(row.vendor())
                .orElseThrow(() -> new IllegalStateException("the vendor " + row.vendor() + " is no longer configured"));
        exchange.getMessage().setBody(
                Delivery.stored(vendor.name(), vendor.envelope(), row.body(), row.receivedAt(), json).json());
    }
}
