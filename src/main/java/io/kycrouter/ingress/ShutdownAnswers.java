package io.kycrouter.ingress;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;

/**
 * While the router shuts down, every request gets a JSON 503 with Retry-After (and Connection: close) until the
 * server closes: the first handler of the webhook port's router.
 * <p>
 * Without it, a request arriving while the routes stop gets what Camel and Vert.x give: an empty 503 while the
 * platform-http consumers are suspended (in-flight deliveries finishing, up to camel.main.shutdown-timeout), then
 * Vert.x-Web's HTML 404 once their routes are removed. Senders treat a 404 as final and drop the webhook.
 */
public final class ShutdownAnswers implements Handler<RoutingContext> {

    private final CamelContext context;

    public ShutdownAnswers(CamelContext context) {
        this.context = context;
    }

    @Override
    public void handle(RoutingContext routing) {
        if (context.isStopping() || context.isStopped()) {
            routing.response().putHeader("Retry-After", "30").putHeader("Connection", "close");
            ErrorAnswers.send(routing.response(), 503, "shutting_down", "the router is shutting down; retry later");
        } else {
            routing.next();
        }
    }
}
