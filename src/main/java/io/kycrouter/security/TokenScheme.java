package io.kycrouter.security;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A shared token sent in a header, a URL query parameter, or as a secret path segment
 * ({@code /webhooks/{vendor}/{token}}); several tokens may be active at once (rotation).
 */
public final class TokenScheme implements AuthScheme {

    private final String name;
    private final String header;
    private final String queryParameter;
    private final boolean pathSegment;
    private final List<String> tokens;

    public TokenScheme(String name, String header, String queryParameter, boolean pathSegment, List<String> tokens) {
        this.name = name;
        this.header = header;
        this.queryParameter = queryParameter;
        this.pathSegment = pathSegment;
        this.tokens = List.copyOf(tokens);
        if (header == null && queryParameter == null && !pathSegment) {
            throw new IllegalArgumentException("a token scheme needs a header, a query parameter or path-segment = true");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String expects() {
        List<String> places = new ArrayList<>();
        if (header != null) {
            places.add("header " + header);
        }
        if (queryParameter != null) {
            places.add("query parameter " + queryParameter);
        }
        if (pathSegment) {
            places.add("path /webhooks/{vendor}/{token}");
        }
        return String.join(" or ", places);
    }

    private String given(Delivery delivery) {
        String value = header == null ? null : delivery.header(header);
        if (blank(value) && queryParameter != null) {
            value = delivery.queryParameter(queryParameter);
        }
        if (blank(value) && pathSegment) {
            value = delivery.pathCredential();
        }
        return blank(value) ? null : value.trim();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public boolean seenBeforeBody() {
        return true;
    }

    @Override
    public boolean present(Delivery delivery) {
        return given(delivery) != null;
    }

    @Override
    public void verify(Delivery delivery, Instant now) {
        String given = given(delivery);
        boolean match = false;
        for (String token : tokens) {
            match |= ConstantTime.equal(given, token);
        }
        if (!match) {
            throw DeliveryRejected.unauthorized("wrong token (" + expects() + ")");
        }
    }

    /** In the header when the scheme reads one, else the query parameter, else the path segment. */
    @Override
    public void sign(OutgoingWebhook webhook, Instant now) {
        if (header != null) {
            webhook.header(header, tokens.get(0));
        } else if (queryParameter != null) {
            webhook.queryParameters().put(queryParameter, tokens.get(0));
        } else {
            webhook.pathSegment(tokens.get(0));
        }
    }
}
