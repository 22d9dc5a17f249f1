package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.mapping.ExampleEvents;
import io.kycrouter.mapping.OfflineMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/MAPPINGS.md cannot drift from the mappings: its tables are generated from the vendors' examples and their
 * expected events (which {@link VendorExamplesTest} keeps true) and each vendor's event key. This test fails when
 * the page is not what the vendor folders say; {@code -Dkyc.regenerate=true} writes it.
 */
class MappingsDocTest {

    static final Path PAGE = Path.of("docs/MAPPINGS.md");
    static final String REGENERATE = "mvn -q test -Dtest=MappingsDocTest -Dkyc.regenerate=true";

    @Test
    void theMappingsPageIsGeneratedFromTheVendorFolders() throws Exception {
        String generated;
        try (OfflineMapper mapper = OfflineMapper.start(Map.of())) {
            generated = page(mapper);
        }
        if (Boolean.getBoolean("kyc.regenerate")) {
            Files.writeString(PAGE, generated);
            return;
        }
        String current = Files.exists(PAGE) ? Files.readString(PAGE) : "";
        if (!current.equals(generated)) {
            fail(PAGE + " is not what the vendor folders say (an example, its expected events or an event key changed)."
                    + " Regenerate it: " + REGENERATE);
        }
    }

    static String page(OfflineMapper mapper) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("# Vendor mappings\n\n")
                .append("<!-- Generated from vendors/*/: do not edit. Regenerate with: ").append(REGENERATE).append(" -->\n\n")
                .append("The source of truth is each vendor's folder: `vendors/<vendor>/routes.yaml` (the mapping, its comments\n")
                .append("explain the vendor's quirks), `vendor.properties` (authentication, event key) and `examples/` (payloads\n")
                .append("as the vendor sends them, each with the canonical events it must produce in `<name>.expected.json`;\n")
                .append("the build maps every example and compares). This page lists what each example becomes.\n")
                .append("Try a payload of your own with `java -jar target/kyc-webhook-router.jar map <vendor> <payload.json>`.\n");
        for (String vendor : mapper.files().vendorNames()) {
            md.append("\n## ").append(vendor).append("\n\n")
                    .append("Event key (dedupe): `").append(mapper.settings().get("vendor." + vendor + ".event-key", "?"))
                    .append("`. Mapping: [vendors/").append(vendor).append("/routes.yaml](../vendors/").append(vendor)
                    .append("/routes.yaml).\n\n")
                    .append("| example | vendor event | type | status | final | reasons | checks |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (Path example : VendorExamplesTest.examples(mapper.files().folder(vendor).resolve("examples"))) {
                String name = example.getFileName().toString().replaceFirst("\\.json$", "");
                Path expected = example.resolveSibling(name + ".expected.json");
                if (!Files.exists(expected)) {
                    continue; // VendorExamplesTest says how to write it
                }
                for (JsonNode event : ExampleEvents.parse(Files.readString(expected))) {
                    md.append("| [").append(name).append("](../vendors/").append(vendor).append("/examples/")
                            .append(example.getFileName()).append(") | ")
                            .append(cell(event.path("vendorEventType"))).append(" | ")
                            .append(cell(event.path("type"))).append(" | ")
                            .append(cell(event.path("status"))).append(" | ")
                            .append(event.path("final").asBoolean() ? "yes" : "").append(" | ")
                            .append(reasons(event)).append(" | ")
                            .append(checks(event)).append(" |\n");
                }
            }
        }
        return md.toString();
    }

    private static String reasons(JsonNode event) {
        List<String> out = new ArrayList<>();
        event.path("reasons").forEach(r -> out.add(r.path("code").asText()
                + (r.path("message").isTextual() ? " (" + r.path("message").asText() + ")" : "")));
        return cell(String.join(", ", out));
    }

    private static String checks(JsonNode event) {
        List<String> out = new ArrayList<>();
        event.path("checks").forEach(c -> out.add(c.path("name").asText() + ": " + c.path("result").asText()
                + (c.path("score").isNumber() ? " (" + c.path("score").asText() + ")" : "")));
        return cell(String.join(", ", out));
    }

    private static String cell(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? "" : cell(value.asText());
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
