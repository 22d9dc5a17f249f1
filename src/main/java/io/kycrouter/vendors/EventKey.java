package io.kycrouter.vendors;

import io.kycrouter.ingress.DeliveryRejected;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The dedupe key of a vendor event, built from the vendor's own ids: a list of parts, each a JSONPath
 * or alternatives separated by {@code |} (the first present wins), for example
 * {@code $.type, $.applicantActionId|$.applicantId, $.correlationId, $.createdAtMs}.
 * Parts are joined with ':' after escaping ':' and '%', so two different events can never produce the
 * same key. Every part is required: a payload without it is a 400.
 */
public final class EventKey {

    static final int MAX_LENGTH = 400;

    private final List<List<JsonField>> parts;

    private EventKey(List<List<JsonField>> parts) {
        this.parts = parts;
    }

    public static EventKey parse(String spec) {
        List<List<JsonField>> parts = new ArrayList<>();
        for (String part : Settings.split(spec)) {
            List<JsonField> alternatives = new ArrayList<>();
            for (String alternative : part.split("\\|")) {
                alternatives.add(JsonField.of(alternative));
            }
            parts.add(List.copyOf(alternatives));
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("an event key needs at least one JSONPath");
        }
        return new EventKey(List.copyOf(parts));
    }

    /** The first path of every part: the fields a delivery must carry. */
    public List<String> describe() {
        return parts.stream().map(p -> String.join("|", p.stream().map(JsonField::expression).toList())).toList();
    }

    public String of(Map<String, Object> json) {
        StringBuilder key = new StringBuilder(128);
        for (List<JsonField> alternatives : parts) {
            String value = null;
            for (JsonField field : alternatives) {
                value = scalar(field, field.read(json));
                if (value != null) {
                    break;
                }
            }
            if (value == null) {
                String wanted = String.join(" or ", alternatives.stream().map(JsonField::expression).toList());
                throw DeliveryRejected.badRequest("missing_field", "payload lacks " + wanted + ", needed to identify the event");
            }
            if (key.length() > 0) {
                key.append(':');
            }
            key.append(value.replace("%", "%25").replace(":", "%3A"));
        }
        return key.length() <= MAX_LENGTH ? key.toString() : "sha256:" + sha256(key.toString());
    }

    private static String scalar(JsonField field, Object value) {
        if (value instanceof List<?> list && list.size() <= 1) {
            value = list.isEmpty() ? null : list.get(0);
        }
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw DeliveryRejected.badRequest("invalid_field", field.expression() + " must be a string or a number");
        }
        String text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        return text.isBlank() ? null : text;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
