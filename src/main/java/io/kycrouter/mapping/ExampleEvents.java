package io.kycrouter.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kycrouter.canonical.VerificationEvent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Canonical events as the {@code map} command prints them and as {@code examples/<name>.expected.json} holds them:
 * a JSON array, each event without what depends on when and how the delivery was received rather than on its
 * payload ({@link #RECEIPT_FIELDS}, and occurredAt when the payload gave no time and the time received stood in).
 */
public final class ExampleEvents {

    /** Set from the delivery, not the payload: the time received, the event id derived from it, the inbox row. */
    public static final Set<String> RECEIPT_FIELDS = Set.of("eventId", "receivedAt", "inboxId");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // a score of 100.0 stays 100.0 as in the stored event, not 1E+2
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private ExampleEvents() {
    }

    public static ArrayNode of(Mapping mapping) {
        ArrayNode events = JSON.createArrayNode();
        for (VerificationEvent event : mapping.events()) {
            ObjectNode node = JSON.valueToTree(event);
            node.remove(RECEIPT_FIELDS);
            if (!mapping.timeFromPayload()) {
                node.remove("occurredAt");
            }
            events.add(node);
        }
        return events;
    }

    /** Two-space indentation, one value per line, a final newline: stable and diff-friendly in git. */
    public static String print(JsonNode events) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withArrayEmptySeparator("")
                        .withObjectEmptySeparator(""));
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        printer.indentArraysWith(indenter);
        printer.indentObjectsWith(indenter);
        try {
            return JSON.writer(printer).writeValueAsString(events) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode parse(String text) throws JsonProcessingException {
        return JSON.readTree(text);
    }

    /** Each difference as {@code <path>: expected <x>, actual <y>}; empty when equal (numbers compared by value). */
    public static List<String> differences(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        diff("$", expected, actual, out);
        return out;
    }

    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected == null || actual == null || expected.isMissingNode() || actual.isMissingNode()) {
            out.add(path + ": expected " + show(expected) + ", actual " + show(actual));
        } else if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode e = expected.get(name);
                JsonNode a = actual.get(name);
                if (e == null || a == null) {
                    out.add(path + "." + name + ": expected " + show(e) + ", actual " + show(a));
                } else {
                    diff(path + "." + name, e, a, out);
                }
            }
        } else if (expected.isArray() && actual.isArray()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            int i = 0;
            while (e.hasNext() || a.hasNext()) {
                JsonNode en = e.hasNext() ? e.next() : null;
                JsonNode an = a.hasNext() ? a.next() : null;
                if (en == null || an == null) {
                    out.add(path + "[" + i + "]: expected " + show(en) + ", actual " + show(an));
                } else {
                    diff(path + "[" + i + "]", en, an, out);
                }
                i++;
            }
        } else if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(path + ": expected " + expected + ", actual " + actual);
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": expected " + show(expected) + ", actual " + show(actual));
        }
    }

    private static String show(JsonNode node) {
        return node == null || node.isMissingNode() ? "(absent)" : node.toString();
    }
}
