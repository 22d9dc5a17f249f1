package io.kycrouter.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.JsonBodies;
import io.kycrouter.delivery.JsonField;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A webhook being signed as its vendor would sign it (the inverse of {@link AuthScheme#verify}): its body, and the
 * headers, query parameters and path segment the credentials travel in. The body is changed only where the vendor's
 * scheme puts something into it (a signature field, a fresh signed timestamp, the encrypted envelope).
 */
public final class OutgoingWebhook {

    private final String vendor;
    private final JsonField envelope;
    private final JsonBodies json;
    private byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> queryParameters = new LinkedHashMap<>();
    private String pathSegment;

    public OutgoingWebhook(String vendor, JsonField envelope, byte[] body, JsonBodies json) {
        this.vendor = vendor;
        this.envelope = envelope;
        this.body = body;
        this.json = json;
    }

    public byte[] body() {
        return body;
    }

    public void body(byte[] replaced) {
        this.body = replaced;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public void header(String name, String value) {
        headers.put(name, value);
    }

    public Map<String, String> queryParameters() {
        return queryParameters;
    }

    /** The secret path segment of {@code /webhooks/{vendor}/{credential}}, or null. */
    public String pathSegment() {
        return pathSegment;
    }

    void pathSegment(String segment) {
        this.pathSegment = segment;
    }

    /** The webhook as the router will read it: what the signed content is built from. */
    Delivery asDelivery(Instant now) {
        return new Delivery(vendor, envelope, body, this::headerIgnoringCase, queryParameters::get, pathSegment, now, json);
    }

    private String headerIgnoringCase(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** Whether the event (inside the envelope, when there is one) has this top-level field. */
    boolean hasField(JsonField field) {
        return event(json.parseObject(body)).containsKey(topLevelName(field));
    }

    /** Sets a top-level field of the event (inside the envelope, when there is one) and writes the body again. */
    void setField(JsonField field, Object value) {
        Map<String, Object> document = json.parseObject(body);
        event(document).put(topLevelName(field), value);
        try {
            body = json.mapper().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> event(Map<String, Object> document) {
        return envelope != null && envelope.read(document) instanceof Map<?, ?> inner ? (Map<String, Object>) inner : document;
    }

    static String topLevelName(JsonField field) {
        String expression = field.expression();
        if (!expression.matches("\\$\\.[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("cannot write the field " + expression + ": only top-level fields ($.name)");
        }
        return expression.substring(2);
    }
}
