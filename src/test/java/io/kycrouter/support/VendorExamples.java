package io.kycrouter.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vendor folder's examples ({@code vendors/<vendor>/examples/<name>.json}) and the canonical events they must
 * produce ({@code <name>.expected.json}, without what depends on the delivery: eventId, receivedAt, inboxId, and
 * occurredAt when the payload gives no time).
 */
public final class VendorExamples {

    private static final List<String> RECEIPT_FIELDS = List.of("eventId", "receivedAt", "inboxId");

    private VendorExamples() {
    }

    public static Path folder(String vendor) {
        return Path.of(System.getenv().getOrDefault("KYC_VENDORS_DIR", "vendors"), vendor, "examples");
    }

    /** The example's bytes exactly as stored: the vendor signs the raw body. */
    public static byte[] body(String vendor, String name) {
        try {
            return Files.readAllBytes(folder(vendor).resolve(name + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ArrayNode expected(String vendor, String name) {
        try {
            return (ArrayNode) RunningRouter.JSON.readTree(folder(vendor).resolve(name + ".expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that a stored canonical event is the example's expected one (the example produces exactly one). */
    public static void assertProduces(String vendor, String name, JsonNode stored) {
        ArrayNode expected = expected(vendor, name);
        assertThat(expected).as(name + ".expected.json holds one event").hasSize(1);
        ObjectNode actual = stored.deepCopy();
        RECEIPT_FIELDS.forEach(actual::remove);
        if (!expected.get(0).has("occurredAt")) {
            // the payload gives no time: occurredAt is the time received
            assertThat(actual.get("occurredAt").asText()).isEqualTo(stored.get("receivedAt").asText());
            actual.remove("occurredAt");
        }
        assertThat(actual).as(vendor + "/" + name).isEqualTo(expected.get(0));
    }
}
