package io.kycrouter.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a delivery body once, strictly: UTF-8 only, a JSON object at the top, no duplicate keys,
 * bounded nesting and number length. Floats are kept as {@link java.math.BigDecimal} so the exact
 * digits the vendor sent survive for signature re-encoding. Key order is kept (LinkedHashMap).
 */
public final class JsonBodies {

    private static final Pattern QUOTED = Pattern.compile("'[^'\\s]{2,}'|\"[^\"]{2,}\"");
    private static final Pattern DIGITS = Pattern.compile("\\d{5,}");

    static final int MAX_EXPONENT = 400;

    private final ObjectMapper mapper;

    public JsonBodies() {
        this(500);
    }

    public JsonBodies(int maxDepth) {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxNumberLength(100)
                        .maxStringLength(5_000_000)
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Decodes strict UTF-8; a body that is not valid UTF-8 is a 400. A body of ASCII only (most webhooks) is the same
     * text in every ASCII-compatible charset and is copied once into a string; any other goes through the strict
     * decoder (a buffer of two bytes per character, then the string).
     */
    public static String utf8(byte[] body) {
        if (ascii(body)) {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw DeliveryRejected.badRequest("malformed_json", "body is not valid UTF-8");
        }
    }

    private static boolean ascii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Parses a JSON object; anything else is a 400 that says where parsing failed. */
    public Map<String, Object> parseObject(byte[] body) {
        return parseObject(utf8(body));
    }

    /** Parses a JSON object from a body already decoded ({@link #utf8}); anything else is a 400. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> parseObject(String text) {
        if (text.isBlank()) {
            throw DeliveryRejected.badRequest("malformed_json", "body is empty");
        }
        Object value;
        try (JsonParser parser = mapper.createParser(text)) {
            value = mapper.readValue(parser, Object.class);
        } catch (JsonProcessingException e) {
            throw DeliveryRejected.badRequest("malformed_json", describe(e));
        } catch (IOException e) {
            throw DeliveryRejected.badRequest("malformed_json", "body could not be read as JSON");
        }
        if (!(value instanceof Map)) {
            throw DeliveryRejected.badRequest("malformed_json", "body must be a JSON object");
        }
        checkNumbers(value);
        return (Map<String, Object>) value;
    }

    /**
     * Jackson bounds a number's digits but not its exponent: "1e999999999" is eleven characters whose plain
     * form is a billion. Such numbers are refused here, before anything formats or converts them.
     */
    private static void checkNumbers(Object value) {
        if (value instanceof java.math.BigDecimal d) {
            if (Math.abs((long) d.scale()) > MAX_EXPONENT || Math.abs((long) d.precision() - d.scale()) > MAX_EXPONENT) {
                throw DeliveryRejected.badRequest("malformed_json", "a number's exponent is out of range (at most "
                        + MAX_EXPONENT + ")");
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                checkNumbers(v);
            }
        } else if (value instanceof java.util.List<?> list) {
            for (Object v : list) {
                checkNumbers(v);
            }
        }
    }

    /**
     * "malformed JSON at line 3, column 5: Unexpected character ('/' (code 47))". Quoted fragments of two
     * characters or more, and long digit runs, are cut out of Jackson's message: they could be payload content.
     */
    static String describe(JsonProcessingException e) {
        String reason = e.getOriginalMessage() == null ? "invalid JSON" : e.getOriginalMessage();
        int newline = reason.indexOf('\n');
        if (newline > 0) {
            reason = reason.substring(0, newline);
        }
        reason = DIGITS.matcher(QUOTED.matcher(reason).replaceAll("'…'")).replaceAll("…");
        if (reason.length() > 200) {
            reason = reason.substring(0, 200) + "…";
        }
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            return "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + reason;
        }
        return "malformed JSON: " + reason;
    }
}
