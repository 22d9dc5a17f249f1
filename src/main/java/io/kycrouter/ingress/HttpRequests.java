package io.kycrouter.ingress;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

import java.util.concurrent.Executor;

/**
 * The HTTP request behind an exchange of a platform-http route. Credentials, signatures and timestamps are read from
 * its headers and nowhere else: Camel's message headers also carry the query parameters and form fields of the
 * request (see {@link ExternalHeaderFilter}), which a sender can set to anything.
 */
public final class HttpRequests {

    private HttpRequests() {
    }

    /** The Vert.x request, or null when the exchange did not come from the HTTP server. */
    public static HttpServerRequest of(Exchange exchange) {
        return exchange.getIn() instanceof HttpMessage http ? http.getRequest() : null;
    }

    /** A request header, case-insensitive; null when absent or when there is no HTTP request. */
    public static String header(Exchange exchange, String name) {
        HttpServerRequest request = of(exchange);
        return request == null ? null : request.getHeader(name);
    }

    /**
     * Where a route waiting for something (its commit) goes on: the Vert.x context it runs on now (the request's event
     * loop), or, outside Vert.x, the thread that completes the wait.
     */
    public static Executor continuation(Exchange exchange) {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }

    /** The connection's peer address (never a header a client writes), or null when there is no HTTP request. */
    public static String peer(Exchange exchange) {
        HttpServerRequest request = of(exchange);
        return request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
