package io.kycrouter.ingress;

import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

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

    /** The connection's peer address (never a header a client writes), or null when there is no HTTP request. */
    public static String peer(Exchange exchange) {
        HttpServerRequest request = of(exchange);
        return request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
