package io.kycrouter.canonical;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of router/canonical.yaml after the vendor route mapped a delivery: build the canonical event,
 * store it with the verification's new state, or record why that failed so the inbox recovery retries it.
 */
public final class Canonicalizer {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.canonical");

    private static final Logger UNMAPPED = LoggerFactory.getLogger("kyc.vendor");

    private final CanonicalEventBuilder builder;
    private final EventRecorder events;

    private final Runnable afterAppend;

    /**
     * @param afterAppend run after a new event was stored (wakes the outbox dispatcher)
     * @param userReferences how each vendor's externalUserId is carried (plain or keyed hash)
     */
    public Canonicalizer(EventRecorder events, Runnable afterAppend, UserReferences userReferences) {
        this.builder = new CanonicalEventBuilder(userReferences);
        this.events = events;
        this.afterAppend = afterAppend;
    }

    public void build(Exchange exchange) {
        exchange.setVariable("event", builder.build(exchange));
    }

    public void store(Exchange exchange) {
        VerificationEvent event = exchange.getVariable("event", VerificationEvent.class);
        boolean appended = events.append(event);
        if (appended) {
            afterAppend.run();
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("vendor={} key={} verification={} type={} status={} final={} stored={}", event.vendor(),
                    printable(event.vendorEventKey(), 200), printable(event.verificationId(), 100), event.type(), event.status(),
                    event.isFinal(), appended ? "new" : "already");
        }
    }

    /**
     * Keeps the failure on the inbox row (never the payload) and logs it. A database outage is retried by the
     * inbox recovery; a payload that cannot be mapped (no verification id, a value too long) is parked.
     */
    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Object inboxId = exchange.getVariable("inboxId");
        boolean permanent = events.permanent(cause);
        String error = events.describe(cause);
        LOG.warn("vendor={} key={} inbox={} canonical mapping failed, {}: {}", exchange.getVariable("vendor"),
                printable(String.valueOf(exchange.getVariable("eventKey")), 200), inboxId, permanent ? "parked for an operator" : "will retry",
                printable(error, 300));
        if (inboxId instanceof Number id) {
            events.recordFailure(id.longValue(), error, permanent);
        }
    }

    /**
     * The delivery could not be mapped (router/canonical.yaml, route "map"): it is stored all the same, parked with
     * this error for an operator. Only the error's class and a safe cut of its message are kept, never the payload.
     */
    public void unmappable(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = events.describe(cause);
        exchange.removeVariable("event");
        exchange.setVariable("mappingError", error);
        LOG.warn("vendor={} key={} canonical mapping failed, parked for an operator: {}", exchange.getVariable("vendor"),
                printable(String.valueOf(exchange.getVariable("eventKey")), 200), printable(error, 300));
    }

    /** A vendor route met an event type or status it has no mapping for: warn, with the value made safe to log. */
    public void unmapped(Exchange exchange) {
        UNMAPPED.warn("vendor={} key={} event '{}' has a type or value without mapping: stored as UNKNOWN",
                exchange.getVariable("vendor"),
                printable(String.valueOf(exchange.getVariable("eventKey")), 200),
                printable(String.valueOf(exchange.getVariable("vendorEventType")), 64));
    }

    /** At most {@code max} characters, printable ASCII only: vendor values can't forge or flood log lines. */
    public static String printable(String value, int max) {
        int end = Math.min(value.length(), max);
        StringBuilder out = new StringBuilder(end + 24);
        for (int i = 0; i < end; i++) {
            char ch = value.charAt(i);
            out.append(ch >= 0x20 && ch <= 0x7E ? ch : '?');
        }
        if (value.length() > max) {
            out.append("…(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
