package io.kycrouter.api;

import org.apache.camel.Exchange;
import org.apache.camel.util.URISupport;

import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The query parameters the REST DSL declares (router/api.yaml), read from {@code CamelHttpQuery}: platform-http copies
 * no query parameter into the message headers (ExternalHeaderFilter), so a parameter named like a path value or a
 * credential is never mistaken for one. A blank value reads as absent.
 */
final class QueryParameters {

    private final Map<String, Object> values;

    private QueryParameters(Map<String, Object> values) {
        this.values = values;
    }

    static QueryParameters of(Exchange exchange) {
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        try {
            return new QueryParameters(URISupport.parseQuery(raw));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw ApiRejected.invalidParameter("the query string could not be read");
        }
    }

    /**
     * The parameter's value (the first one when given twice), or null when absent or blank. Percent-encoded: Camel's
     * parser turns '+' into a space but leaves %XX escapes (a since of 2026-01-01T00%3A00%3A00Z, an event type
     * with a space) as they came, so they are decoded here.
     */
    String text(String name) {
        Object value = values.get(name);
        if (value instanceof Iterable<?> several) {
            value = several.iterator().hasNext() ? several.iterator().next() : null;
        }
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        try {
            return URLDecoder.decode(value.toString(), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiRejected.invalidParameter(name + " is not validly percent-encoded");
        }
    }

    /** A whole number clamped to [min, max]; {@code fallback} when absent. */
    /** The optional {@code vendor} parameter: null when absent, else one of {@code known} (400 otherwise). */
    String vendor(java.util.Set<String> known) {
        String vendor = text("vendor");
        if (vendor != null && !known.contains(vendor)) {
            throw ApiRejected.invalidParameter("vendor must be one of " + String.join(", ", known.stream().sorted().toList()));
        }
        return vendor;
    }

    int number(String name, int fallback, int min, int max) {
        String text = text(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(text.trim())));
        } catch (NumberFormatException e) {
            throw ApiRejected.invalidParameter(name + " must be a number");
        }
    }
}
