package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.TestReceiver;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Vendors' free-text fields (reject comments, result details, warning texts, refusal messages, moderation
 * comments) can hold anything a reviewer typed: here a name, a birth date, a street address, an IP address and a
 * phone number. None of it may reach a canonical event, the operator API or a notifier target, while the reason
 * codes and check results still do. The raw body keeps it (the inbox, purged by retention).
 */
class FreeTextPersonalDataTest {

    static final String NAME = "Ottilie Vandersloot";
    static final String BORN = "1987-03-14";
    static final String STREET = "17 Kestrel Avenue";
    static final String IP = "203.0.113.45";
    static final String PHONE = "+44 7700 900123";
    static final String SENTENCE = "Rejected: " + NAME + ", born " + BORN + ", lives at " + STREET + ", Springfield,"
            + " connected from " + IP + ", phone " + PHONE;
    /** Fragments that must appear nowhere outside the inbox (masked or cut variants included). */
    static final String[] PERSONAL = {"Ottilie", "Vandersloot", BORN, "Kestrel", IP, "7700 900123", "7700900123"};

    static Map<String, String> settings(String name, TestReceiver receiver) throws Exception {
        Map<String, String> s = RunningRouter.defaults(RunningRouter.tempDir(name));
        s.put("kyc.notify.poll-period-ms", "50");
        s.put("kyc.notify.targets", "crm");
        s.put("kyc.notify.target.crm.type", "http");
        s.put("kyc.notify.target.crm.url", receiver.url());
        s.put("kyc.notify.target.crm.secret", "pii-test-notifier-secret");
        return s;
    }

    static long accepted(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("id").asLong();
    }

    static String text(byte[] fixture) {
        return new String(fixture, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** JSON string literal of a value without quotes or backslashes (the test's own values). */
    static String q(String value) {
        return "\"" + value + "\"";
    }

    static long argosRejected(RunningRouter router, String submission) throws Exception {
        String body = text(example("argos/rejected.json"))
                .replace("ARG-SUB-0002", submission)
                .replace("\"The ID document is blurry\"", q(SENTENCE));
        return accepted(router.post("/webhooks/argos", bytes(body), Signer.argos()));
    }

    /**
     * Treezor signs object_payload as PHP's json_encode writes it; for ASCII text without slashes that is the
     * compact JSON written here, so the signature is computed over exactly these bytes.
     */
    static byte[] treezorLiveness(String objectId, String userId) {
        String payload = "{\"updated-at\":\"2024-03-08T05:37:26.076003Z\",\"started-at\":\"2024-03-08T05:32:37.100594Z\","
                + "\"kyc-status\":\"processed\",\"comment\":" + q(SENTENCE) + ","
                + "\"refusal-details\":{\"meta\":{\"count\":2},\"reasons\":["
                + "{\"reason-code\":\"1312\",\"reason-message\":" + q(SENTENCE) + "},"
                + "{\"reason-code\":\"2401\",\"reason-message\":" + q("Identity does not match " + NAME + " " + BORN) + "}]},"
                + "\"user_id\":" + q(userId) + ",\"score\":0}";
        String signature = Base64.getEncoder().encodeToString(
                java.util.HexFormat.of().parseHex(Signer.hmacHex("HmacSHA256", RunningRouter.TREEZOR_SECRET, bytes(payload))));
        return bytes("{\"webhook\":\"kycliveness.update\",\"webhook_id\":\"pii-" + objectId + "\",\"object\":\"identification\","
                + "\"object_id\":" + q(objectId) + ",\"object_payload\":" + payload + ",\"object_payload_signature\":" + q(signature) + "}");
    }

    @Test
    void freeTextPersonalDataReachesNoEventNoApiAnswerAndNoNotifierTarget() throws Exception {
        try (TestReceiver receiver = TestReceiver.start();
             VeratadWebhooksTest.CapturedOutput output = new VeratadWebhooksTest.CapturedOutput();
             RunningRouter router = RunningRouter.start(settings("pii-free-text", receiver))) {
            List<Long> inboxIds = new ArrayList<>();
            List<String> answers = new ArrayList<>();

            // Argos: kyc_result.comment is the reviewer's free text; commentCode is the code
            inboxIds.add(argosRejected(router, "ARG-PII-1"));
            // Argos: AML and injection values that are free text instead of their enumerations
            String aml = text(example("argos/aml.json")).replace("ARG-SUB-0001", "ARG-PII-2")
                    .replace("\"Red Flag\"", q(SENTENCE));
            inboxIds.add(accepted(router.post("/webhooks/argos", bytes(aml), Signer.argos())));
            String injection = text(example("argos/injection.json")).replace("ARG-SUB-0001", "ARG-PII-3")
                    .replace("\"address\"", q(STREET + ", Springfield"));
            inboxIds.add(accepted(router.post("/webhooks/argos", bytes(injection), Signer.argos())));

            // Veratad: dcams_plus.detail is free text
            String veratad = text(example("veratad/journey-3.json"))
                    .replace("9b2e7c1a-4d5f-4e6a-8b7c-journey00001", "veratad-pii-1")
                    .replace("\"action\": \"PASS\",\n    \"detail\": \"MATCH FOUND\"", "\"action\": \"FAIL\",\n    \"detail\": " + q(SENTENCE))
                    .replace("\"status\": \"PASS\",\n  \"request_id\"", "\"status\": \"FAIL\",\n  \"request_id\"");
            assertThat(veratad).contains(SENTENCE).contains("\"status\": \"FAIL\"");
            inboxIds.add(accepted(router.post("/webhooks/veratad", bytes(veratad), Signer.veratadBasic())));

            // Didit: warnings[].risk holding free text, a bare IP, a birth date and a phone number beside a code
            String didit = text(example("didit/declined-unicode.json"))
                    .replace("5a1e2f3c-0000-4b7a-9c1d-declined0001", "didit-pii-1")
                    .replace("{\"risk\": \"DOCUMENT_EXPIRED\"",
                            "{\"risk\": " + q(SENTENCE) + ", \"feature\": \"OCR\"}, {\"risk\": " + q(IP) + "},"
                                    + " {\"risk\": " + q(BORN) + "}, {\"risk\": \"07700900123\"}, {\"risk\": \"DOCUMENT_EXPIRED\"");
            byte[] diditBody = bytes(didit);
            inboxIds.add(accepted(router.post("/webhooks/didit", diditBody, Signer.diditRaw(diditBody))));

            // Treezor: the liveness refusal's reason-message (and comment) hold free text
            inboxIds.add(accepted(router.post("/webhooks/treezor", treezorLiveness("pii-liveness-1", "treezor-pii-1"),
                    Map.of("Content-Type", "application/json"))));
            // Treezor QES: reasonMessage is a fixed catalogue identifier and is kept
            inboxIds.add(accepted(router.post("/webhooks/treezor", example("treezor/qes.finalized-2.json"),
                    Map.of("Content-Type", "application/json"))));

            // Sumsub: moderation and client comments (never mapped) and a reject label that is not a code
            String sumsub = text(example("sumsub/applicantReviewed-1.json"))
                    .replace("5cb744200a975a67ed1798a4", "sumsubpii00000000000001")
                    .replace("\"GRAPHIC_EDITOR\"", q(SENTENCE))
                    .replace("\" Suspected fraudulent account.\"", q(SENTENCE))
                    .replace("${clientSupportEmail}", NAME + " " + PHONE);
            inboxIds.add(accepted(router.post("/webhooks/sumsub", bytes(sumsub), Signer.sumsub(bytes(sumsub)))));

            List<JsonNode> events = new ArrayList<>();
            for (long id : inboxIds) {
                events.add(router.canonicalEventOf(id));
            }

            // the codes and enumerations still arrive
            assertThat(events.get(0).get("reasons").toString()).isEqualTo("[{\"code\":\"ID_BLURRY\",\"message\":null}]");
            assertThat(events.get(1).get("checks").toString()).isEqualTo("[{\"name\":\"aml\",\"result\":\"UNRECOGNISED_VALUE\",\"score\":null},"
                    + "{\"name\":\"aml_risk_level\",\"result\":\"HIGH\",\"score\":null}]");
            assertThat(events.get(2).get("checks").toString()).isEqualTo("[{\"name\":\"injection\",\"result\":\"UNRECOGNISED_VALUE\",\"score\":null}]");
            assertThat(events.get(3).get("reasons").toString()).isEqualTo("[{\"code\":\"FAIL\",\"message\":null}]");
            assertThat(events.get(3).get("checks").toString()).contains("{\"name\":\"step\",\"result\":\"FAIL\"");
            assertThat(codes(events.get(4))).containsExactly("FACE_MISMATCH", "UNRECOGNISED_CODE", "UNRECOGNISED_CODE",
                    "UNRECOGNISED_CODE", "UNRECOGNISED_CODE", "DOCUMENT_EXPIRED");
            assertThat(events.get(5).get("reasons").toString())
                    .isEqualTo("[{\"code\":\"1312\",\"message\":null},{\"code\":\"2401\",\"message\":null}]");
            assertThat(events.get(5).get("checks").toString()).isEqualTo("[{\"name\":\"liveness\",\"result\":\"processed\",\"score\":0}]");
            assertThat(events.get(6).get("reasons").toString())
                    .isEqualTo("[{\"code\":\"3201\",\"message\":\"WARNING_SELFIE_REAL_PERSON\"}]");
            assertThat(codes(events.get(7))).containsExactly("UNSATISFACTORY_PHOTOS", "UNRECOGNISED_CODE", "FORGERY");

            // nothing personal in the stored events, the operator API or what the notifier target received
            for (Map<String, Object> row : router.rows("select payload from canonical_event")) {
                answers.add(String.valueOf(row.get("payload")));
            }
            for (JsonNode event : events) {
                HttpResponse<String> api = router.get("/api/verifications/" + event.get("vendor").asText() + "/"
                        + event.get("verificationId").asText() + "/events");
                assertThat(api.statusCode()).isEqualTo(200);
                answers.add(api.body());
                answers.add(router.get("/api/verifications/" + event.get("vendor").asText() + "/"
                        + event.get("verificationId").asText()).body());
            }
            await("every event delivered to the notifier target").atMost(RunningRouter.WAIT).until(() -> receiver.successes() >= events.size());
            for (TestReceiver.Request request : receiver.requests()) {
                answers.add(request.body());
            }
            assertThat(String.join("\n", answers)).contains("ID_BLURRY", "FACE_MISMATCH", "DOCUMENT_EXPIRED", "1312", "2401",
                    "FORGERY", "UNRECOGNISED_CODE", "UNRECOGNISED_VALUE");
            String logged = output.all();
            for (String value : PERSONAL) {
                for (String answer : answers) {
                    assertThat(answer).as("events, API answers and notifier bodies").doesNotContain(value);
                }
                assertThat(logged).as("logs").doesNotContain(value);
            }
            // the raw delivery keeps the vendor's text, for an operator
            assertThat((String) router.rows("select body from inbox where id = ?", inboxIds.get(0)).get(0).get("body")).contains(NAME);
        }
    }

    static List<String> codes(JsonNode event) {
        List<String> codes = new ArrayList<>();
        event.get("reasons").forEach(r -> codes.add(r.get("code").asText()));
        return codes;
    }

    /**
     * A route written to the earlier contract maps a vendor's free text as reasonMessage and a free-text value as a
     * check: the canonical builder still carries neither. Only reasonCatalogueMessage reaches the event.
     */
    @Test
    void aRouteThatMapsFreeTextAsReasonMessageLeaksNothing() throws Exception {
        Path vendors = RunningRouter.vendorsCopy("pii-vendors");
        Path argosRoutes = vendors.resolve("argos").resolve("routes.yaml");
        String argos = Files.readString(argosRoutes);
        String rejected = "                  - setVariable: { name: type, constant: VERIFICATION_COMPLETED }\n"
                + "                  - setVariable: { name: status, constant: REJECTED }\n";
        assertThat(argos).contains(rejected);
        Files.writeString(argosRoutes, argos.replace(rejected, rejected
                + "                  - setVariable: { name: reasonMessage, jsonpath: \"$.kyc_result.comment\" }\n"
                + "                  - setVariable: { name: reasonMessages, jsonpath: \"$.kyc_result.comment\" }\n"
                + "                  - setVariable: { name: check.comment, jsonpath: \"$.kyc_result.comment\" }\n"
                + "                  - setVariable: { name: relatedId, jsonpath: \"$.kyc_result.comment\" }\n"
                + "                  - setVariable: { name: reasonCatalogueMessage, constant: \"The document is blurry\" }\n"));
        try (TestReceiver receiver = TestReceiver.start()) {
            Map<String, String> s = settings("pii-old-contract", receiver);
            s.put("kyc.vendors.dir", vendors.toString());
            try (RunningRouter router = RunningRouter.start(s)) {
                JsonNode event = router.canonicalEventOf(argosRejected(router, "ARG-PII-OLD"));
                // reasonMessages without codes still say that a reason was given, but not its text
                assertThat(event.get("reasons").toString()).isEqualTo("[{\"code\":\"UNSPECIFIED\",\"message\":null},"
                        + "{\"code\":\"ID_BLURRY\",\"message\":\"The document is blurry\"}]");
                assertThat(event.get("checks").toString()).isEqualTo("[{\"name\":\"comment\",\"result\":\"UNRECOGNISED_VALUE\",\"score\":null}]");
                assertThat(event.get("relatedId").isNull()).isTrue();
                await("the event delivered to the notifier target").atMost(RunningRouter.WAIT).until(() -> receiver.successes() >= 1);
                String all = event + "\n" + router.get("/api/verifications/argos/ARG-PII-OLD/events").body()
                        + "\n" + receiver.requests().get(0).body();
                for (String value : PERSONAL) {
                    assertThat(all).doesNotContain(value);
                }
            }
        }
    }
}
