package io.kycrouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.VendorExamples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send command signs Onfido's, Veriff's and Persona's examples as those vendors do (Persona: a
 * {@code t=<now>,v1=<hmac>} header made of parts) with the secrets it is configured with, and the running router
 * accepts them and maps them to their expected events.
 */
class SendNewVendorsTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("send-new-vendors"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
            "onfido,  check-completed",
            "onfido,  workflow-task-started",
            "onfido,  workflow-run-completed",
            "veriff,  decision-approved",
            "veriff,  event-submitted",
            "persona, inquiry-approved"})
    void sendSignsTheExampleAsTheVendorDoes(String vendor, String example) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> secrets = Map.of(
                "kyc.vendor.onfido.auth.signature.secrets", RunningRouter.ONFIDO_SECRET,
                "kyc.vendor.veriff.auth.signature.secrets", RunningRouter.VERIFF_SECRET,
                "kyc.vendor.persona.auth.signature.secrets", RunningRouter.PERSONA_SECRET);
        int exit = SendCommand.run(List.of(vendor, VendorExamples.folder(vendor).resolve(example + ".json").toString(),
                        "--url", "http://127.0.0.1:" + router.port() + "/webhooks/" + vendor),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), secrets);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).startsWith("HTTP 200");
        JsonNode answer = RunningRouter.JSON.readTree(printed.substring(printed.indexOf('{')));
        VendorExamples.assertProduces(vendor, example, router.canonicalEventOf(answer.get("id").asLong()));
    }
}
