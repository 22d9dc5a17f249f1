package io.kycrouter.ingress;

import io.kycrouter.vendors.VendorDefinition;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * One webhook delivery as received: the vendor it was addressed to, the raw body bytes, and the
 * headers the authenticator may need. The JSON is parsed at most once, on first use.
 */
public final class Delivery {

    private final VendorDefinition vendor;
    private final byte[] body;
    private final Function<String, String> headers;
    private final Function<String, String> queryParameters;
    private final String pathCredential;
    private final Instant receivedAt;
    private final JsonBodies parser;
    private Map<String, Object> json;

    public Delivery(VendorDefinition vendor, byte[] body, Function<String, String> headers,
                    Function<String, String> queryParameters, Instant receivedAt, JsonBodies parser) {
        this(vendor, body, headers, queryParameters, null, receivedAt, parser);
    }

    public Delivery(VendorDefinition vendor, byte[] body, Function<String, String> headers,
                    Function<String, String> queryParameters, String pathCredential, Instant receivedAt,
                    JsonBodies parser) {
        this.vendor = vendor;
        this.body = body;
        this.headers = headers;
        this.queryParameters = queryParameters;
        this.pathCredential = pathCredential;
        this.receivedAt = receivedAt;
        this.parser = parser;
    }

    public VendorDefinition vendor() {
        return vendor;
    }

    public byte[] body() {
        return body;
    }

    /** A request header, case-insensitive; null when absent. */
    public String header(String name) {
        return headers.apply(name);
    }

    /** A URL query parameter; null when absent. */
    public String queryParameter(String name) {
        return queryParameters.apply(name);
    }

    /** The secret path segment of {@code /webhooks/{vendor}/{credential}}, or null. */
    public String pathCredential() {
        return pathCredential;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /** The body as a JSON object, parsed once. Throws {@link DeliveryRejected} (400) when it is not one. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> json() {
        if (json == null) {
            Map<String, Object> parsed = parser.parseObject(body);
            if (vendor != null && vendor.envelope() != null && vendor.envelope().read(parsed) instanceof Map<?, ?> inner) {
                parsed = (Map<String, Object>) inner;
            }
            json = parsed;
        }
        return json;
    }

    /** Replaces the body with its decrypted form (vendors that encrypt their payload). */
    public Delivery withBody(byte[] plaintext) {
        return new Delivery(vendor, plaintext, headers, queryParameters, pathCredential, receivedAt, parser);
    }
}
