package io.kycrouter;

import io.kycrouter.cli.MapCommand;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The map command, run in-process: what it prints where, and its exit codes. */
class MapCommandTest {

    private static final Map<String, String> PLAIN = Map.of("kyc.canonical.external-user-id", "plain");

    record Run(int exit, String out, String err) {
    }

    static Run map(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new MapCommand(PLAIN).run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The line (from 1) of a file where a text first appears. */
    private static int lineOf(String file, String text) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " is not in " + file);
    }

    private static Path write(String name, String content) throws Exception {
        Path file = RunningRouter.tempDir("map").resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void printsTheEventsAsTheExpectedFileHoldsThemAndTheBranchesOnStderr() throws Exception {
        Run run = map("sumsub", "vendors/sumsub/examples/applicantReviewed-1.json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(Files.readString(Path.of("vendors/sumsub/examples/applicantReviewed-1.expected.json")));
        assertThat(run.err()).contains("branch: vendors/sumsub/routes.yaml:" + lineOf("vendors/sumsub/routes.yaml",
                        "applicantReviewed', 'applicantWorkflowCompleted'") + " when jsonpath "
                        + "$[?(@.type in ['applicantReviewed', 'applicantWorkflowCompleted'])]")
                .contains("branch: vendors/sumsub/routes.yaml:" + lineOf("vendors/sumsub/routes.yaml",
                        "@.reviewAnswer == 'RED' && @.reviewRejectType == 'FINAL'") + " when jsonpath ")
                .contains("when jsonpath $.reviewResult[?(@.reviewAnswer == 'RED' && @.reviewRejectType == 'FINAL')]");
    }

    @Test
    void aWrappedTreezorDeliveryIsUnwrappedAsTheIngressUnwrapsIt() throws Exception {
        String bare = Files.readString(Path.of("vendors/treezor/examples/qes.finalized-2.json"));
        Path wrapped = write("wrapped.json", "{\"messageId\": \"m-1\", \"webhook\": " + bare + "}");

        Run run = map("treezor", wrapped.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(Files.readString(Path.of("vendors/treezor/examples/qes.finalized-2.expected.json")));
    }

    @Test
    void aPayloadThatCannotBeMappedSaysWhyAndExitsWithOne() throws Exception {
        // an unknown Treezor webhook whose signed payload holds no user id: the router stores and parks it
        Path unmappable = write("card.json", "{\"webhook\": \"card.create\", \"object_payload\": {\"cardId\": \"77\"}}");

        Run run = map("treezor", unmappable.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("otherwise").contains("cannot be mapped").contains("no verificationId");
    }

    @Test
    void inputErrorsExitWithTwoAndOneLine() throws Exception {
        Run unknown = map("nobody", "vendors/sumsub/examples/applicantCreated.json");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("map: unknown vendor 'nobody'; known vendors: argos, didit, onfido, persona, sumsub, treezor, veratad, veriff\n");

        Run missing = map("sumsub", "vendors/sumsub/examples/no-such-example.json");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("map: no such file: vendors/sumsub/examples/no-such-example.json\n");

        Run notJson = map("sumsub", write("broken.json", "{\"type\": \"applicantCreated\",").toString());
        assertThat(notJson.exit()).isEqualTo(2);
        assertThat(notJson.err()).contains("400 malformed_json").doesNotContain("\n\n");

        Run noKey = map("sumsub", write("nokey.json", "{\"type\": \"applicantCreated\"}").toString());
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).contains("400 missing_field");

        Run encrypted = map("argos", write("encrypted.json", "{\"data\": \"q83vEjRWeJA=\"}").toString());
        assertThat(encrypted.exit()).isEqualTo(2);
        assertThat(encrypted.err()).contains("encrypted argos payload").contains("plaintext");

        assertThat(map("sumsub").exit()).isEqualTo(2);
        assertThat(unknown.out() + missing.out() + notJson.out() + encrypted.out()).isEmpty();
    }

    @Test
    void aByteOrderMarkIsRefusedAsTheIngressRefusesIt() throws Exception {
        // a UTF-8 byte order mark is not JSON: the ingress refuses it, and so does map
        Path bom = write("bom.json", "\uFEFF" + Files.readString(Path.of("vendors/sumsub/examples/applicantCreated.json")));
        assertThat(map("sumsub", bom.toString()).exit()).isEqualTo(2);
    }
}
