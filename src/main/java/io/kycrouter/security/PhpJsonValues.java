package io.kycrouter.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A body read into the values a PHP signer (Treezor) held before json_encode wrote them, which the shared parse
 * cannot give: it keeps floats as BigDecimal, which has no negative zero, and reads "-0" as the integer 0. PHP
 * writes the float -0.0 as "-0" and no integer so, and signed "-0"; re-encoding it as "0" would break the
 * signature. Here a float is the double PHP's json_decode makes of it (sign of zero kept), "-0" is -0.0, an
 * integer is a long, or a double beyond the 64-bit range as in PHP.
 */
final class PhpJsonValues {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(1000) // above ingress.max-json-depth's default; the shared parse runs first
                    .maxNumberLength(100)
                    .maxStringLength(5_000_000)
                    .build())
            .build();

    private PhpJsonValues() {
    }

    /**
     * The delivery's JSON object as the PHP signer held it, unwrapped from the vendor's envelope like
     * {@link Delivery#json()}. The shared parse runs first, so a body it refuses is refused the same way.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Delivery delivery) {
        delivery.json();
        Map<String, Object> parsed = (Map<String, Object>) read(delivery.text());
        if (delivery.envelope() != null && delivery.envelope().read(parsed) instanceof Map<?, ?> inner) {
            return (Map<String, Object>) inner;
        }
        return parsed;
    }

    static Object read(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            parser.nextToken();
            return value(parser);
        } catch (IOException e) {
            throw DeliveryRejected.badRequest("malformed_json", "body could not be read as JSON");
        }
    }

    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, value(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_FLOAT -> {
                return Double.parseDouble(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                String text = parser.getText();
                if (text.equals("-0")) {
                    return -0.0;
                }
                BigInteger integer = new BigInteger(text);
                return integer.bitLength() < 64 ? (Object) integer.longValue() : (Object) integer.doubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected " + token);
        }
    }
}
