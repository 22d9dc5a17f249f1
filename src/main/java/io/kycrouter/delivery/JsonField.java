package io.kycrouter.delivery;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;

import java.util.Map;

/** A JSONPath compiled once, read from an already parsed body; a missing field reads as null. */
public final class JsonField {

    private static final Configuration LENIENT = Configuration.builder()
            .options(Option.SUPPRESS_EXCEPTIONS, Option.DEFAULT_PATH_LEAF_TO_NULL)
            .build();

    private final String expression;
    private final JsonPath path;

    private JsonField(String expression, JsonPath path) {
        this.expression = expression;
        this.path = path;
    }

    /** Compiles a path such as {@code $.reviewResult.reviewAnswer}; a bad path is a configuration error. */
    public static JsonField of(String expression) {
        String trimmed = expression.trim();
        if (!trimmed.startsWith("$")) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a JSONPath (it must start with $)");
        }
        try {
            return new JsonField(trimmed, JsonPath.compile(trimmed));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a valid JSONPath: " + e.getMessage());
        }
    }

    public String expression() {
        return expression;
    }

    public Object read(Map<String, Object> json) {
        return path.read(json, LENIENT);
    }

    @Override
    public String toString() {
        return expression;
    }
}
