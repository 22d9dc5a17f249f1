package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.mapping.ExampleEvents;
import io.kycrouter.mapping.Mapping;
import io.kycrouter.mapping.OfflineMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The vendors' examples are the mapping tests: every vendors/<v>/examples/<name>.json goes through the vendor's
 * routes offline (the same routes and canonical step as a delivery) and must give the events of the
 * <name>.expected.json beside it.
 */
class VendorExamplesTest {

    private static OfflineMapper mapper;

    @BeforeAll
    static void start() throws Exception {
        // user references as the vendors send them: the expected files do not depend on a pepper
        mapper = OfflineMapper.start(Map.of("kyc.canonical.external-user-id", "plain"));
    }

    @AfterAll
    static void stop() {
        if (mapper != null) {
            mapper.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleMapsToItsExpectedEvents() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String vendor : mapper.files().vendorNames()) {
            for (Path example : examples(mapper.files().folder(vendor).resolve("examples"))) {
                String name = example.getFileName().toString().replaceFirst("\\.json$", "");
                tests.add(DynamicTest.dynamicTest(vendor + "/" + name, example.toUri(), () -> check(vendor, example, name)));
            }
        }
        assertThat(tests).as("examples under vendors/*/examples").isNotEmpty();
        return tests.stream();
    }

    private static void check(String vendor, Path example, String name) throws IOException {
        Path expectedFile = example.resolveSibling(name + ".expected.json");
        if (!Files.exists(expectedFile)) {
            fail(example + " has no expected events: write them to " + expectedFile.getFileName() + " (check them against"
                    + " the mapping; the map command prints them:\n  java -jar target/kyc-webhook-router.jar map " + vendor + " "
                    + example + " > " + expectedFile + ")");
        }
        Mapping mapping = mapper.map(vendor, Files.readAllBytes(example));
        if (mapping.parked()) {
            fail(example + " cannot be mapped (the router would park it): " + mapping.parkedReason());
        }
        JsonNode expected = ExampleEvents.parse(Files.readString(expectedFile));
        JsonNode actual = ExampleEvents.of(mapping);
        List<String> differences = ExampleEvents.differences(expected, actual);
        if (!differences.isEmpty()) {
            fail(example + " does not map to " + expectedFile.getFileName() + ":\n  " + String.join("\n  ", differences)
                    + "\nbranches taken:\n  " + String.join("\n  ", mapping.branches())
                    + "\n(if the new mapping is right: java -jar target/kyc-webhook-router.jar map " + vendor + " " + example
                    + " > " + expectedFile + ")");
        }
    }

    /** The example payloads of a folder: every *.json but the expected files. */
    static List<Path> examples(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().endsWith(".expected.json"))
                    .sorted().toList();
        }
    }
}
