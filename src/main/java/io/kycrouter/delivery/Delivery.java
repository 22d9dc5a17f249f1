package io.kycrouter.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * One webhook delivery as received: the name of the vendor it was addressed to, the raw body bytes, and the
 * headers the authenticator may need. The JSON is parsed at most once, on first use, and unwrapped from the
 * vendor's envelope when there is one.
 */
public final class Delivery {

    private final String vendor;
    private final JsonField envelope;
    private final byte[] body;
    private final Function<String, String> headers;
    private final Function<String, String> queryParameters;
    private final String pathCredential;
    private final Instant receivedAt;
    private final JsonBodies parser;
    private String text;
    private Map<String, Object> json;

    public Delivery(String vendor, JsonField envelope, byte[] body, Function<String, String> headers,
                    Function<String, String> queryParameters, Instant receivedAt, JsonBodies parser) {
        this(vendor, envelope, body, headers, queryParameters, null, receivedAt, parser);
    }

    /**
     * @param envelope where the event sits when the vendor wraps it (Treezor's {@code $.webhook}), or null; used only
     *                 when that path holds an object, so wrapped and bare deliveries are both read
     */
    public Delivery(String vendor, JsonField envelope, byte[] body, Function<String, String> headers,
                    Function<String, String> queryParameters, String pathCredential, Instant receivedAt,
                    JsonBodies parser) {
        this.vendor = vendor;
        this.envelope = envelope;
        this.body = body;
        this.headers = headers;
        this.queryParameters = queryParameters;
        this.pathCredential = pathCredential;
        this.receivedAt = receivedAt;
        this.parser = parser;
    }

    /**
     * A delivery as the inbox stored it (authenticated, and decrypted, when it arrived), to be mapped again by the
     * inbox recovery or a remap: read through {@link #json()} like the ingress reads it, unwrapped from the envelope.
     */
    public static Delivery stored(String vendor, JsonField envelope, String body, Instant receivedAt, JsonBodies parser) {
        Delivery delivery = new Delivery(vendor, envelope, body.getBytes(StandardCharsets.UTF_8), name -> null,
                name -> null, receivedAt, parser);
        delivery.text = body;
        return delivery;
    }

    /** The configured name of the vendor the delivery was addressed to. */
    public String vendor() {
        return vendor;
    }

    /** Where the vendor wraps its event, or null. */
    public JsonField envelope() {
        return envelope;
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

    /**
     * The body as text, decoded once (strict UTF-8): what is parsed, what a signature over a re-encoding reads, and
     * what the inbox stores. Throws {@link DeliveryRejected} (400) when the body is not UTF-8.
     */
    public String text() {
        if (text == null) {
            text = JsonBodies.utf8(body);
        }
        return text;
    }

    /** The body as a JSON object, parsed once. Throws {@link DeliveryRejected} (400) when it is not one. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> json() {
        if (json == null) {
            Map<String, Object> parsed = parser.parseObject(text());
            if (envelope != null && envelope.read(parsed) instanceof Map<?, ?> inner) {
                parsed = (Map<String, Object>) inner;
            }
            json = parsed;
        }
        return json;
    }

    /** Replaces the body with its decrypted form (vendors that encrypt their payload). */
    public Delivery withBody(byte[] plaintext) {
        return new Delivery(vendor, envelope, plaintext, headers, queryParameters, pathCredential, receivedAt, parser);
    }
}
