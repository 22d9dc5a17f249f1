package io.kycrouter.ingress;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * platform-http's header filter: nothing the sender chose becomes a Camel message header. By default the request's
 * headers, its query parameters and its form fields are all copied into the message headers, the path parameters
 * after them (a name given twice becomes a list), so {@code ?Authorization=...} would read like the header and
 * {@code ?verificationId=...} would mix into the path's value. With this filter the message headers hold the path
 * parameters and Camel's own (CamelHttpMethod, CamelHttpQuery, ...); request headers are read from the request itself
 * ({@link HttpRequests}), query parameters from CamelHttpQuery. Headers going out in the answer are filtered as by
 * Camel's own HTTP filter.
 */
public final class ExternalHeaderFilter extends HttpHeaderFilterStrategy {

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
