package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.cli.SendCommand;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send command, run in-process against a running router: each vendor's example signed as the vendor signs it
 * (with the secrets the router is configured with) is accepted and stored; a wrong secret gets the router's 401.
 */
class SendCommandTest {

    private static Map<String, String> settings;
    private static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        settings = RunningRouter.defaults(RunningRouter.tempDir("send"));
        router = RunningRouter.start(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
    }

    /** What one run of the command printed, and its exit code. */
    record Run(int exit, String out, String err) {
    }

    static Run send(Map<String, String> overrides, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new SendCommand(overrides).run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String url(RunningRouter to, String vendor) {
        return "http://127.0.0.1:" + to.port() + "/webhooks/" + vendor;
    }

    @ParameterizedTest(name = "{0} {1} ({2})")
    @CsvSource({
            "sumsub, applicantReviewed-1.json, digest",
            "didit, approved.json, v2",
            "didit, declined-unicode.json, raw",
            "treezor, qes.finalized-2.json, signature",
            "treezor, kycliveness.update-unicode.json, signature",
            "argos, approved.json, token",
            "veratad, journey-3.json, basic",
            "veratad, journey-2.json, signature",
            "onfido, check-completed.json, signature",
            "onfido, workflow-run-completed.json, signature",
            "veriff, decision-approved.json, signature",
            "veriff, event-submitted.json, signature",
            "persona, inquiry-approved.json, signature",
    })
    void eachVendorsExampleIsAcceptedAsTheVendorSendsIt(String vendor, String example, String scheme) throws Exception {
        List<String> args = new ArrayList<>(List.of(vendor, "vendors/" + vendor + "/examples/" + example, "--url", url(router, vendor)));
        if (!scheme.equals(firstScheme(vendor))) {
            args.addAll(List.of("--scheme", scheme));
        }
        Run run = send(settings, args.toArray(String[]::new));

        assertThat(run.exit()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).startsWith("HTTP 200\n");
        JsonNode answer = RunningRouter.JSON.readTree(run.out().substring("HTTP 200\n".length()));
        long id = answer.get("id").asLong();
        Map<String, Object> row = router.rows("select vendor, auth_scheme from inbox where id = ?", id).get(0);
        assertThat(row).containsEntry("vendor", vendor).containsEntry("auth_scheme", scheme);
    }

    private static String firstScheme(String vendor) {
        return switch (vendor) {
            case "didit" -> "v2";
            case "veratad" -> "basic";
            default -> "";
        };
    }

    @Test
    void aWrongSecretGetsTheRoutersRefusalAndExitCodeOne() throws Exception {
        Map<String, String> wrong = new LinkedHashMap<>(settings);
        wrong.put("kyc.vendor.sumsub.auth.digest.secrets", "not-the-router-secret");
        long before = router.count("select count(*) from inbox");

        Run run = send(wrong, "sumsub", "vendors/sumsub/examples/applicantCreated.json", "--url", url(router, "sumsub"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).startsWith("HTTP 401\n").contains("\"error\":\"unauthorized\"");
        assertThat(router.count("select count(*) from inbox")).isEqualTo(before);
    }

    @Test
    void aMissingSecretNamesTheEnvironmentVariable() {
        Map<String, String> none = new LinkedHashMap<>(settings);
        none.remove("kyc.vendor.sumsub.auth.digest.secrets"); // as vendors/sumsub/vendor.properties reads it: unset here

        Run run = send(none, "sumsub", "vendors/sumsub/examples/applicantCreated.json", "--url", url(router, "sumsub"));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("kyc.vendor.sumsub.auth.digest.secrets").contains("KYC_SUMSUB_SECRET");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        Path notJson = RunningRouter.tempDir("send-input").resolve("not.json");
        java.nio.file.Files.writeString(notJson, "{\"type\": ");
        assertThat(send(settings, "nobody", "vendors/sumsub/examples/applicantCreated.json").err())
                .contains("unknown vendor 'nobody'");
        assertThat(send(settings, "sumsub", "vendors/sumsub/examples/nothing-here.json").exit()).isEqualTo(2);
        Run bad = send(settings, "sumsub", notJson.toString(), "--url", url(router, "sumsub"));
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("malformed JSON");
        assertThat(send(settings, "sumsub").exit()).isEqualTo(2);
    }

    @Test
    void anEncryptingVendorsPayloadIsEncryptedWithItsKey() throws Exception {
        Map<String, String> encrypting = RunningRouter.defaults(RunningRouter.tempDir("send-argos-gcm"));
        encrypting.put("kyc.vendor.argos.decrypt.mode", "gcm");
        encrypting.put("kyc.vendor.argos.decrypt.api-key", "argos-test-api-key");
        try (RunningRouter encrypted = RunningRouter.start(encrypting)) {
            Run run = send(encrypting, "argos", "vendors/argos/examples/rejected.json", "--url", url(encrypted, "argos"));

            assertThat(run.exit()).as(run.err() + run.out()).isZero();
            long id = RunningRouter.JSON.readTree(run.out().substring("HTTP 200\n".length())).get("id").asLong();
            assertThat(encrypted.canonicalEventOf(id).get("status").asText()).isEqualTo("REJECTED");
        }
    }
}
