package io.kycrouter.ingress;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.observe.RouterMetrics;
import io.kycrouter.vendors.VendorAuthenticator;
import io.kycrouter.vendors.VendorDefinition;
import io.kycrouter.vendors.VendorRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * Refuses a webhook before its body is read when its head already decides the answer the route would give: an unknown
 * vendor (404), a declared body over the vendor's limit (413), a Content-Type the vendor does not send (415), or no
 * credential where every one of the vendor's auth schemes carries it outside the body (401; see
 * {@link VendorAuthenticator#refusalBeforeBody}). The answers are the route's own, in the route's order, and are
 * counted and logged as the route counts and logs them; a request the head cannot decide goes on to the route.
 * <p>
 * A sender without a credential thus costs no body memory and no worker, however large the body it declares, and
 * a vendor that sends {@code Expect: 100-continue} is refused before it sends the body at all.
 */
public final class EarlyRefusals implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.ingress");

    private final VendorRegistry vendors;
    private final VendorAuthenticator authenticator;
    private final RouterMetrics metrics;
    private final Clock clock;

    public EarlyRefusals(VendorRegistry vendors, VendorAuthenticator authenticator, RouterMetrics metrics, Clock clock) {
        this.clock = clock;
        this.vendors = vendors;
        this.authenticator = authenticator;
        this.metrics = metrics;
    }

    /** Runs on the webhook paths of router/ingress.yaml, at {@code order} (before the body is read). */
    public void register(Router router, int order) {
        router.route("/webhooks/:vendor").order(order).handler(this);
        router.route("/webhooks/:vendor/:credential").order(order).handler(this);
    }

    @Override
    public void handle(RoutingContext routing) {
        long started = System.nanoTime();
        String name = routing.pathParam("vendor");
        Optional<VendorDefinition> vendor = vendors.find(name);
        DeliveryRejected refusal = vendor.isEmpty() ? Ingress.unknownVendor(vendors)
                : routing.request().method() == HttpMethod.POST ? refusal(vendor.get(), routing.request()) : null;
        if (refusal == null) {
            routing.next();
            return;
        }
        String tag = vendor.map(VendorDefinition::name).orElse(Ingress.printable(name));
        EarlyAnswer.send(routing, refusal.status(), refusal.error(), refusal.getMessage());
        long nanos = System.nanoTime() - started;
        metrics.received(tag, refusal.error(), refusal.getMessage(), nanos);
        if (LOG.isInfoEnabled()) {
            LOG.info("vendor={} key=null status={} outcome={} ms={} (before the body)", tag, refusal.status(), refusal.error(),
                    (nanos / 1_000_000) + "." + (nanos / 100_000) % 10);
        }
    }

    /** The route's refusal of this POST that its head alone decides, or null. */
    private DeliveryRejected refusal(VendorDefinition vendor, HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            if (length != null && Long.parseLong(length.trim()) > vendor.maxBodySize()) {
                return Ingress.tooLarge(Long.parseLong(length.trim()), vendor);
            }
        } catch (NumberFormatException e) {
            return null; // the server refuses it
        }
        try {
            MediaTypes.check(request.getHeader(HttpHeaders.CONTENT_TYPE), vendor.contentTypes());
        } catch (DeliveryRejected unsupported) {
            return unsupported;
        }
        Delivery head = new Delivery(vendor.name(), vendor.envelope(), new byte[0], request::getHeader, request::getParam,
                Ingress.pathCredential(request), clock.instant(), null);
        return authenticator.refusalBeforeBody(vendor, head).orElse(null);
    }
}
