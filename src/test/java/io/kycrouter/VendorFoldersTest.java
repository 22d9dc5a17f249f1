package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each folder under the vendors folder is a vendor: a new folder is picked up with no other change, and a folder
 * that is not a whole vendor stops start-up with a message naming it.
 */
class VendorFoldersTest {

    /** A vendor the project does not have: a token in a header; the token's default stands in for its secret. */
    private static final String ACME_PROPERTIES = """
            # Acme: a shared token in a header
            auth = token
            auth.token.type = token
            auth.token.tokens = {{env:KYC_ACME_TOKEN_NOT_SET_IN_TESTS:acme-test-token}}
            auth.token.header = X-Acme-Token
            event-key = $.check_id, $.state
            """;
    private static final String ACME_ROUTES = """
            - route:
                id: vendor-acme
                from:
                  uri: direct:vendor-acme
                  steps:
                    - setVariable: { name: vendorEventType, jsonpath: "$.state" }
                    - setVariable: { name: verificationId, jsonpath: "$.check_id" }
                    - setVariable: { name: externalUserId, jsonpath: "$.user" }
                    - setVariable: { name: occurredAt, jsonpath: "$.at" }
                    - choice:
                        when:
                          - jsonpath: "$[?(@.state == 'passed')]"
                            steps:
                              - setVariable: { name: type, constant: VERIFICATION_COMPLETED }
                              - setVariable: { name: status, constant: APPROVED }
                        otherwise:
                          steps:
                            - setVariable: { name: type, constant: UNKNOWN }
                            - setVariable: { name: status, constant: UNKNOWN }
            """;
    private static final byte[] ACME_PASSED = """
            {"check_id": "ACME-1", "state": "passed", "user": "client-7", "at": "2024-05-01T10:00:00Z"}
            """.getBytes(StandardCharsets.UTF_8);

    /** The project's vendor folders and one more, acme, in a temporary folder. */
    private static Path vendorsWithAcme(String name) throws Exception {
        Path vendors = RunningRouter.vendorsCopy(name);
        Path acme = Files.createDirectory(vendors.resolve("acme"));
        Files.writeString(acme.resolve("vendor.properties"), ACME_PROPERTIES);
        Files.writeString(acme.resolve("routes.yaml"), ACME_ROUTES);
        return vendors;
    }

    private static Map<String, String> settings(Path vendors) throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("vendor-folders"));
        settings.put("kyc.vendors.dir", vendors.toString());
        return settings;
    }

    private static Map<String, String> acmeHeaders(String token) {
        return Map.of("Content-Type", "application/json", "X-Acme-Token", token);
    }

    @Test
    void aNewVendorFolderIsAVendorWithNoOtherChange() throws Exception {
        try (RunningRouter router = RunningRouter.start(settings(vendorsWithAcme("new-vendor")))) {
            // its vendor.properties is read: the token it names is required
            HttpResponse<String> refused = router.post("/webhooks/acme", ACME_PASSED, acmeHeaders("wrong-token"));
            assertThat(refused.statusCode()).isEqualTo(401);

            HttpResponse<String> accepted = router.post("/webhooks/acme", ACME_PASSED, acmeHeaders("acme-test-token"));
            assertThat(accepted.statusCode()).isEqualTo(200);
            // and its routes.yaml maps the delivery
            JsonNode event = router.canonicalEventOf(json(accepted).get("id").asLong());
            assertThat(event.get("vendor").asText()).isEqualTo("acme");
            assertThat(event.get("verificationId").asText()).isEqualTo("ACME-1");
            assertThat(event.get("status").asText()).isEqualTo("APPROVED");
            assertThat(event.get("externalUserId").asText()).isEqualTo("client-7");
            assertThat(event.get("occurredAt").asText()).isEqualTo("2024-05-01T10:00:00Z");

            // the project's vendors are still there, from the same folder
            assertThat(router.post("/webhooks/sumsub", RunningRouter.example("sumsub/applicantCreated.json"),
                    Map.of("Content-Type", "application/json")).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aFolderWithoutRoutesYamlIsNamed() throws Exception {
        Path vendors = vendorsWithAcme("no-routes");
        Files.delete(vendors.resolve("acme").resolve("routes.yaml"));
        assertThat(RunningRouter.startupFailure(settings(vendors)))
                .contains("vendor folder " + vendors.resolve("acme")).contains("has no routes.yaml");
    }

    @Test
    void aFolderWithoutVendorPropertiesIsNamed() throws Exception {
        Path vendors = vendorsWithAcme("no-properties");
        Files.delete(vendors.resolve("acme").resolve("vendor.properties"));
        assertThat(RunningRouter.startupFailure(settings(vendors)))
                .contains("vendor folder " + vendors.resolve("acme")).contains("has no vendor.properties");
    }

    @Test
    void aFolderWhoseNameCannotBeAVendorsIsNamed() throws Exception {
        Path vendors = vendorsWithAcme("bad-name");
        Files.move(vendors.resolve("acme"), vendors.resolve("Acme_Corp"));
        assertThat(RunningRouter.startupFailure(settings(vendors))).contains("vendor folder " + vendors.resolve("Acme_Corp"))
                .contains("lower-case letters, digits and '-'");
    }

    @Test
    void aKeyWrittenInFullIsRefused() throws Exception {
        Path vendors = vendorsWithAcme("full-key");
        Files.writeString(vendors.resolve("acme").resolve("vendor.properties"),
                ACME_PROPERTIES.replace("event-key =", "kyc.vendor.acme.event-key ="));
        assertThat(RunningRouter.startupFailure(settings(vendors))).contains(vendors.resolve("acme").resolve("vendor.properties").toString())
                .contains("'kyc.vendor.acme.event-key' is written relative to kyc.vendor.acme.");
    }

    @Test
    void aMistakeInAVendorFolderNamesTheVendorsKey() throws Exception {
        Path vendors = vendorsWithAcme("bad-key");
        Files.writeString(vendors.resolve("acme").resolve("vendor.properties"), ACME_PROPERTIES.replace("$.check_id", "check_id"));
        assertThat(RunningRouter.startupFailure(settings(vendors))).contains("vendor acme").contains("check_id");
    }

    @Test
    void aDisabledVendorIsNotAccepted() throws Exception {
        Map<String, String> settings = settings(vendorsWithAcme("disabled"));
        settings.put("kyc.vendors.disabled", "acme, argos");
        try (RunningRouter router = RunningRouter.start(settings)) {
            HttpResponse<String> acme = router.post("/webhooks/acme", ACME_PASSED, acmeHeaders("acme-test-token"));
            assertThat(acme.statusCode()).isEqualTo(404);
            assertThat(json(acme).get("error").asText()).isEqualTo("unknown_vendor");
            assertThat(router.post("/webhooks/argos", RunningRouter.example("argos/approved.json"),
                    Map.of("Content-Type", "application/json", "X-Webhook-Token", RunningRouter.ARGOS_TOKEN)).statusCode()).isEqualTo(404);
            // nor are its routes loaded
            assertThat(router.main().getCamelContext().getRoute("vendor-acme")).isNull();
            assertThat(router.main().getCamelContext().getRoute("vendor-sumsub")).isNotNull();
        }
    }

    @Test
    void disablingAVendorThatHasNoFolderIsAMistake() throws Exception {
        Map<String, String> settings = settings(vendorsWithAcme("disabled-unknown"));
        settings.put("kyc.vendors.disabled", "acmee");
        assertThat(RunningRouter.startupFailure(settings)).contains("kyc.vendors.disabled names 'acmee'");
    }

    @Test
    void theOldVendorListIsRefusedWithWhatToDo() throws Exception {
        Map<String, String> settings = settings(vendorsWithAcme("old-list"));
        settings.put("kyc.vendors", "sumsub, didit");
        assertThat(RunningRouter.startupFailure(settings)).contains("kyc.vendors is no longer read").contains("kyc.vendors.disabled");
    }
}
