package io.kycrouter.ingress;

import io.kycrouter.canonical.Canonicalizer;
import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.delivery.JsonBodies;
import io.kycrouter.observe.RouterMetrics;
import io.kycrouter.canonical.VerificationEvent;
import io.kycrouter.store.Inbox;
import io.kycrouter.store.Intake;
import io.kycrouter.store.StoreUnavailable;
import io.kycrouter.vendors.VendorAuthenticator;
import io.kycrouter.vendors.VendorDefinition;
import io.kycrouter.vendors.VendorRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The steps of {@code POST /webhooks/{vendor}} (router/ingress.yaml): check the request, authenticate it,
 * parse it once and identify the event, map it (router/canonical.yaml), commit it with its event, answer. Each step either passes or throws
 * {@link DeliveryRejected}, which {@link #rejected} turns into the JSON error answer.
 */
public final class Ingress {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.ingress");

    private final VendorRegistry vendors;
    private final VendorAuthenticator authenticator;
    private final Intake intake;
    private final JsonBodies json;
    private final Clock clock;
    private final RouterMetrics metrics;

    public Ingress(VendorRegistry vendors, VendorAuthenticator authenticator, Intake intake, JsonBodies json, Clock clock,
                   RouterMetrics metrics) {
        this.vendors = vendors;
        this.authenticator = authenticator;
        this.intake = intake;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** 405 wrong method, 404 unknown vendor, 413 too large, 415 not JSON. */
    public void check(Exchange exchange) {
        exchange.setVariable("startedNanos", System.nanoTime());
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        String vendorName = exchange.getMessage().getHeader("vendor", String.class);
        exchange.setVariable("vendor", printable(vendorName));
        VendorDefinition vendor = vendors.find(vendorName).orElseThrow(() -> unknownVendor(vendors));
        exchange.setVariable("vendor", vendor.name());
        if (!"POST".equalsIgnoreCase(method)) {
            throw new DeliveryRejected(405, "method_not_allowed", "webhooks are delivered with POST");
        }
        byte[] body = bytes(exchange.getMessage());
        if (body.length > vendor.maxBodySize()) {
            throw tooLarge(body.length, vendor);
        }
        HttpServerRequest request = HttpRequests.of(exchange);
        MediaTypes.check(header(request, "Content-Type"), vendor.contentTypes());
        Instant receivedAt = clock.instant();
        exchange.setVariable("receivedAt", receivedAt);
        exchange.setVariable("delivery", new Delivery(vendor.name(), vendor.envelope(), body,
                name -> header(request, name),
                name -> request == null ? null : request.getParam(name),
                pathCredential(request), receivedAt, json));
    }

    static DeliveryRejected unknownVendor(VendorRegistry vendors) {
        return new DeliveryRejected(404, "unknown_vendor", "no vendor is configured under this path; known vendors: "
                + String.join(", ", vendors.names().stream().sorted().toList()));
    }

    static DeliveryRejected tooLarge(long length, VendorDefinition vendor) {
        return new DeliveryRejected(413, "payload_too_large", "body is " + length + " bytes; the limit is "
                + vendor.maxBodySize() + " bytes");
    }

    /**
     * The body's bytes. The HTTP server hands over a Vert.x buffer: copied once, where Camel's generic conversion
     * (through an InputStream into a growing array) would allocate the body three or four times over.
     */
    private static byte[] bytes(Message message) {
        Object raw = message.getBody();
        if (raw instanceof Buffer buffer) {
            return buffer.getBytes();
        }
        byte[] body = message.getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }

    /** 401 unless one of the vendor's configured schemes verifies; then an encrypted body is decrypted (401 if it can't be). */
    public void authenticate(Exchange exchange) {
        Delivery delivery = exchange.getVariable("delivery", Delivery.class);
        VendorDefinition vendor = addressee(delivery);
        exchange.setVariable("authScheme", authenticator.authenticate(vendor, delivery));
        if (vendor.decryption() != null) {
            exchange.setVariable("delivery", vendor.decryption().decrypt(delivery));
        }
    }

    /** 400 unless the body is a JSON object carrying the vendor's key fields; the body becomes the parsed map. */
    public void identify(Exchange exchange) {
        Delivery delivery = exchange.getVariable("delivery", Delivery.class);
        Map<String, Object> document = delivery.json();
        exchange.setVariable("eventKey", addressee(delivery).eventKey().of(document));
        exchange.getMessage().setBody(document);
    }

    /** The configured vendor a delivery was addressed to; {@link #check} found it before the delivery was made. */
    private VendorDefinition addressee(Delivery delivery) {
        return vendors.find(delivery.vendor()).orElseThrow();
    }

    /**
     * Commits the delivery to the inbox (dedupe on the key) with the canonical event router/canonical.yaml mapped
     * it to, or with the reason it could not be mapped; 503 when the database cannot take it.
     */
    public CompletionStage<Void> store(Exchange exchange) {
        Intake.Accepted accepted = toCommit(exchange);
        // Mapped: the parsed document and the body's bytes are garbage from here on, dropped before the wait for the
        // commit: a request waiting there holds its body once, as text, not also its bytes and a JSON tree of about
        // five times its size (64 senders of 100 KB bodies kept 45-65 MB alive, and the small heap was collected in
        // full several times a second: docs/DECISIONS.md, 74).
        exchange.getMessage().setBody(null);
        exchange.removeVariable("delivery");
        // No thread waits for the commit: the route goes on where it was (the request's event loop) once it is done.
        CompletableFuture<Void> done = new CompletableFuture<>();
        intake.acceptAsync(accepted, HttpRequests.continuation(exchange)).whenComplete((stored, failure) -> {
            if (failure == null) {
                exchange.setVariable("inboxId", stored.id());
                exchange.setVariable("duplicate", stored.duplicate());
                done.complete(null);
            } else if (failure instanceof StoreUnavailable) {
                done.completeExceptionally(new DeliveryRejected(503, "store_unavailable", "the router's database is unavailable; retry later"));
            } else if (failure instanceof IllegalArgumentException) {
                done.completeExceptionally(DeliveryRejected.badRequest("invalid_payload", failure.getMessage()));
            } else {
                done.completeExceptionally(failure);
            }
        });
        return done;
    }

    /** The delivery, as the intake commits it, with the canonical event it was mapped to (or why it could not be). */
    private static Intake.Accepted toCommit(Exchange exchange) {
        Delivery delivery = exchange.getVariable("delivery", Delivery.class);
        return new Intake.Accepted(new Inbox.Incoming(delivery.vendor(), exchange.getVariable("eventKey", String.class),
                delivery.text(), delivery.receivedAt(),
                exchange.getVariable("authScheme", String.class)),
                exchange.getVariable("event", VerificationEvent.class), exchange.getVariable("mappingError", String.class));
    }

    /** 200 {"status":"accepted","id":...,"duplicate":...}, after the inbox commit. */
    public void accepted(Exchange exchange) {
        // written by hand: the one answer on the hot path, and both values are a number and a boolean
        Responses.raw(exchange, 200, "{\"status\":\"accepted\",\"id\":" + exchange.getVariable("inboxId", Long.class)
                + ",\"duplicate\":" + Boolean.TRUE.equals(exchange.getVariable("duplicate")) + "}");
        logOutcome(exchange, 200, Boolean.TRUE.equals(exchange.getVariable("duplicate")) ? "duplicate" : "accepted");
    }

    /** The JSON error answer for a refused delivery (or a 500 that says nothing of the internals). */
    public void rejected(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (cause instanceof DeliveryRejected r) {
            Responses.error(exchange, r.status(), r.error(), r.getMessage());
            logOutcome(exchange, r.status(), r.error());
        } else {
            LOG.error("vendor={} unexpected failure before the delivery was stored", exchange.getVariable("vendor"), cause);
            Responses.error(exchange, 500, "internal_error", "the router failed to process the delivery; it was not stored");
            logOutcome(exchange, 500, "internal_error");
        }
    }

    private void logOutcome(Exchange exchange, int status, String outcome) {
        Long started = exchange.getVariable("startedNanos", Long.class);
        long nanos = started == null ? 0 : System.nanoTime() - started;
        long micros = nanos / 1000;
        Exception refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        metrics.received(String.valueOf(exchange.getVariable("vendor")), outcome,
                refused instanceof DeliveryRejected r ? r.getMessage() : null, nanos);
        Object key = exchange.getVariable("eventKey");
        if (LOG.isInfoEnabled()) {
            // The fields also go as SLF4J key-value pairs: the JSON format (logback.xml) writes them as kvpList fields;
            // the text format shows the message. A refusal says why: its error code and the message the sender got,
            // which names what was wrong and never carries payload text.
            Object vendor = exchange.getVariable("vendor");
            String printableKey = key == null ? null : Canonicalizer.printable(key.toString(), 200);
            String ms = (micros / 1000) + "." + (micros / 100) % 10;
            Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            String reason = cause instanceof DeliveryRejected r ? r.getMessage()
                    : status >= 400 ? "the router failed to process the delivery" : null;
            org.slf4j.spi.LoggingEventBuilder line = LOG.atInfo().addKeyValue("vendor", vendor);
            if (printableKey != null) { // none when refused before the event was identified
                line.addKeyValue("key", printableKey);
            }
            line.addKeyValue("status", status)
                    .addKeyValue("outcome", outcome)
                    .addKeyValue("ms", ms);
            if (reason == null) {
                line.log("vendor={} key={} status={} outcome={} ms={}", vendor, printableKey, status, outcome, ms);
            } else {
                line.addKeyValue("reason", reason)
                        .log("vendor={} key={} status={} outcome={} ms={} reason=\"{}\"", vendor, printableKey, status, outcome, ms, reason);
            }
        }
    }

    /** The third path segment of /webhooks/{vendor}/{credential}, read from the request itself. */
    static String pathCredential(HttpServerRequest request) {
        if (request == null || request.path() == null) {
            return null;
        }
        String[] segments = request.path().split("/");
        if (segments.length < 4) {
            return null;
        }
        return java.net.URLDecoder.decode(segments[3].replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A vendor path segment as it may appear in a log line: short, no control characters. */
    static String printable(String name) {
        if (name == null) {
            return "?";
        }
        char[] cut = name.substring(0, Math.min(name.length(), 32)).toCharArray();
        for (int i = 0; i < cut.length; i++) { // every request passes here: no regex
            char ch = cut[i];
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '.' || ch == '_' || ch == '-')) {
                cut[i] = '?';
            }
        }
        return new String(cut);
    }

    /** A header of the HTTP request itself, never a message header (those also carry query parameters). */
    private static String header(HttpServerRequest request, String name) {
        return request == null ? null : request.getHeader(name);
    }
}
