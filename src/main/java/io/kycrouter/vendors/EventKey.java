package io.kycrouter.vendors;

import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.delivery.JsonField;
import io.kycrouter.security.SignedJson;

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
 * <p>
 * Only what the vendor signed may tell two events apart (a captured delivery re-sent with changed unsigned parts
 * must find its first copy), and where a vendor signs a re-encoding of the JSON rather than its bytes, a part must
 * be read as the signer encoded it: texts the signature cannot tell apart ({@code 5}, {@code 5.0}) must give one key.
 * A path may therefore be prefixed:
 * <ul>
 *   <li>{@code sorted-json:$.path}: the value as Didit's X-Signature-V2 encodes it (floats through a binary double,
 *   integer-valued ones as integers), see {@link SignedJson#sortedCompact}</li>
 *   <li>{@code php-json:$.path}: the value as PHP's json_encode encodes it (Treezor), see {@link SignedJson#php}</li>
 *   <li>{@code sha256:} before either (or before a bare path): the hex SHA-256 of that text, for a part that is a
 *   whole signed object (Treezor's {@code sha256:php-json:$.object_payload}), so no payload text reaches the key</li>
 * </ul>
 */
public final class EventKey {

    static final int MAX_LENGTH = 400;

    /** One alternative of a part: a path, read as plain text or as a signer encodes it, optionally digested. */
    private record Field(String expression, JsonField path, Encoding encoding, boolean digest) {

        static Field parse(String text) {
            String rest = text.trim();
            boolean digest = rest.startsWith("sha256:");
            if (digest) {
                rest = rest.substring("sha256:".length()).trim();
            }
            Encoding encoding = Encoding.PLAIN;
            for (Encoding e : Encoding.values()) {
                if (e.prefix != null && rest.startsWith(e.prefix)) {
                    encoding = e;
                    rest = rest.substring(e.prefix.length()).trim();
                }
            }
            return new Field(text.trim(), JsonField.of(rest), encoding, digest);
        }

        /** The part's text, or null when the field is absent, null or blank. */
        String read(Map<String, Object> json) {
            Object value = path.read(json);
            if (value instanceof List<?> list && list.size() <= 1 && encoding == Encoding.PLAIN) {
                value = list.isEmpty() ? null : list.get(0);
            }
            if (value == null) {
                return null;
            }
            String text;
            if (encoding == Encoding.PLAIN) {
                if (value instanceof Map || value instanceof List) {
                    throw DeliveryRejected.badRequest("invalid_field", path.expression() + " must be a string or a number");
                }
                text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
                if (text.isBlank()) {
                    return null;
                }
            } else {
                text = encoding == Encoding.SORTED_JSON ? SignedJson.sortedCompact(value) : SignedJson.php(value);
            }
            return digest ? "sha256=" + sha256(text) : text;
        }
    }

    private enum Encoding {
        PLAIN(null), SORTED_JSON("sorted-json:"), PHP_JSON("php-json:");

        final String prefix;

        Encoding(String prefix) {
            this.prefix = prefix;
        }
    }

    private final List<List<Field>> parts;

    private EventKey(List<List<Field>> parts) {
        this.parts = parts;
    }

    public static EventKey parse(String spec) {
        List<List<Field>> parts = new ArrayList<>();
        for (String part : Settings.split(spec)) {
            List<Field> alternatives = new ArrayList<>();
            for (String alternative : part.split("\\|")) {
                alternatives.add(Field.parse(alternative));
            }
            parts.add(List.copyOf(alternatives));
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("an event key needs at least one JSONPath");
        }
        return new EventKey(List.copyOf(parts));
    }

    /** Every part with its alternatives, as configured. */
    public List<String> describe() {
        return parts.stream().map(p -> String.join("|", p.stream().map(Field::expression).toList())).toList();
    }

    public String of(Map<String, Object> json) {
        StringBuilder key = new StringBuilder(128);
        for (List<Field> alternatives : parts) {
            String value = null;
            for (Field field : alternatives) {
                value = field.read(json);
                if (value != null) {
                    break;
                }
            }
            if (value == null) {
                String wanted = String.join(" or ", alternatives.stream().map(f -> f.path().expression()).toList());
                throw DeliveryRejected.badRequest("missing_field", "payload lacks " + wanted + ", needed to identify the event");
            }
            if (key.length() > 0) {
                key.append(':');
            }
            key.append(value.replace("%", "%25").replace(":", "%3A"));
        }
        return key.length() <= MAX_LENGTH ? key.toString() : "sha256:" + sha256(key.toString());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
