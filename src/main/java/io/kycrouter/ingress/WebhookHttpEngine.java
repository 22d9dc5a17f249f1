package io.kycrouter.ingress;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * platform-http's Vert.x engine, with the webhook routes ({@code /webhooks/...}) run on the request's event loop
 * ({@link EventLoopConsumer}) instead of a worker thread each; every other route (the operator API, the console) is
 * served as Camel serves it. Bound in the registry under platform-http's engine name, where the component looks first.
 */
public final class WebhookHttpEngine extends VertxPlatformHttpEngine {

    /** The paths whose routes never block: they wait for nothing but their commit, and that wait is asynchronous. */
    static final String WEBHOOK_PATHS = "/webhooks/";

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        if (!endpoint.getPath().startsWith(WEBHOOK_PATHS)) {
            return super.createConsumer(endpoint, processor);
        }
        return new EventLoopConsumer(endpoint, processor, getHandlers(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
    }
}
