package io.kycrouter.security;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.JsonBodies;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's re-encodings against the real signers, line by line: src/test/resources/signers holds number
 * literals and whole payloads, a PHP script (Treezor: json_encode) and a Python script (Didit: shorten_floats and
 * json.dumps) that print each signer's encoding, and their output as committed corpora (php-json.tsv,
 * python-json.tsv). Where php and python3 are installed the scripts also run live, so the corpora cannot go stale.
 * <p>
 * Each line's input re-encoded must equal the signer's encoding. For PHP, the signer's encoding re-encoded must
 * also equal itself: Treezor sends what it signed (json_encode's output), so "-0" must stay "-0". (Didit sends
 * the body before shorten_floats, so its canonical form is never what arrives.)
 */
class SignerCorpusTest {

    private static final JsonBodies BODIES = new JsonBodies();
    private static final SignedContent PHP_NUMBER = SignedContent.parse("{php-json:$.n}");
    private static final SignedContent PHP_PAYLOAD = SignedContent.parse("{php-json:$}");
    private static final SignedContent PYTHON_NUMBER = SignedContent.parse("{sorted-json:$.n}");
    private static final SignedContent PYTHON_PAYLOAD = SignedContent.parse("{sorted-json}");

    record Line(String input, String signer) {
    }

    /** The router's PHP (Treezor) encoding of one corpus input: a bare number, or a whole object. */
    static String php(String input) {
        return input.startsWith("{") ? build(PHP_PAYLOAD, input) : build(PHP_NUMBER, "{\"n\":" + input + "}");
    }

    /** The router's Python (Didit V2) encoding of one corpus input. */
    static String python(String input) {
        return input.startsWith("{") ? build(PYTHON_PAYLOAD, input) : build(PYTHON_NUMBER, "{\"n\":" + input + "}");
    }

    private static String build(SignedContent content, String body) {
        Delivery delivery = new Delivery(null, null, body.getBytes(StandardCharsets.UTF_8), h -> null, q -> null,
                Instant.now(), BODIES);
        return new String(content.build(delivery, null), StandardCharsets.UTF_8);
    }

    static List<Line> corpus(String name) throws IOException {
        try (InputStream in = SignerCorpusTest.class.getResourceAsStream("/signers/" + name)) {
            return lines(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static List<Line> lines(String tsv) {
        List<Line> lines = new ArrayList<>();
        for (String line : tsv.split("\n")) {
            if (!line.isEmpty()) {
                int tab = line.indexOf('\t');
                lines.add(new Line(line.substring(0, tab), line.substring(tab + 1)));
            }
        }
        return lines;
    }

    @Test
    void corporaCoverTheAwkwardNumbers() throws IOException {
        List<String> inputs = corpus("php-json.tsv").stream().map(Line::input).toList();
        assertThat(inputs).contains("-0", "-0.0", "1e17", "1e23", "5e-324", "4.9e-324", "2.2250738585072014e-308",
                "1.7976931348623157e308", "0.30000000000000004", "1e309", "-1e-400", "12345678901234567890123");
        assertThat(inputs.size()).isGreaterThan(2500);
        assertThat(corpus("python-json.tsv").stream().map(Line::input).toList()).isEqualTo(inputs);
    }

    @Test
    void phpMatchesJsonEncode() throws IOException {
        assertThat(phpMismatches(corpus("php-json.tsv"))).isEmpty();
    }

    @Test
    void pythonMatchesDiditsJsonDumps() throws IOException {
        assertThat(pythonMismatches(corpus("python-json.tsv"))).isEmpty();
    }

    /** json_encode refuses infinities ("!..."): a PHP signer never sends them, so there is nothing to match. */
    static List<String> phpMismatches(List<Line> lines) {
        List<String> mismatches = new ArrayList<>();
        for (Line line : lines) {
            if (!line.signer().startsWith("!")) {
                String got = php(line.input());
                String again = php(line.signer());
                if (!got.equals(line.signer()) || !again.equals(line.signer())) {
                    mismatches.add(line.input() + " -> PHP " + line.signer() + ", router " + got
                            + (again.equals(line.signer()) ? "" : "; PHP's own output re-encoded as " + again));
                }
            }
        }
        return mismatches;
    }

    static List<String> pythonMismatches(List<Line> lines) {
        List<String> mismatches = new ArrayList<>();
        for (Line line : lines) {
            String got = python(line.input());
            if (!got.equals(line.signer())) {
                mismatches.add(line.input() + " -> Python " + line.signer() + ", router " + got);
            }
        }
        return mismatches;
    }

    @Test
    void phpLive() throws Exception {
        String version = live("php", "-r", "echo PHP_VERSION;");
        List<Line> live = lines(live("php", script("php-json.php"), script("numbers.txt"), script("payloads.jsonl")));
        assertThat(phpMismatches(live)).as("PHP %s", version).isEmpty();
        assertThat(live).as("committed php-json.tsv is what PHP %s prints", version).isEqualTo(corpus("php-json.tsv"));
    }

    @Test
    void pythonLive() throws Exception {
        String version = live("python3", "--version");
        List<Line> live = lines(live("python3", script("python-json.py"), script("numbers.txt"), script("payloads.jsonl")));
        assertThat(pythonMismatches(live)).as(version).isEmpty();
        assertThat(live).as("committed python-json.tsv is what %s prints", version).isEqualTo(corpus("python-json.tsv"));
    }

    private static String script(String name) throws URISyntaxException {
        return Path.of(SignerCorpusTest.class.getResource("/signers/" + name).toURI()).toString();
    }

    /**
     * Runs a signer; skipped (with the reason printed) where the interpreter is not installed, so the committed
     * corpora still check the router everywhere.
     */
    private static String live(String... command) throws Exception {
        Path errors = Files.createTempFile("signer", ".err");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        } catch (IOException e) {
            String reason = "SKIPPED: live " + command[0] + " differential test: " + command[0] + " is not on PATH";
            System.out.println(reason);
            Assumptions.abort(reason);
            throw e;
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(command[0] + " finished").isTrue();
        assertThat(process.exitValue()).as(command[0] + " exit status; it said: " + Files.readString(errors)).isZero();
        Files.delete(errors);
        return new String(out.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8).trim();
    }
}
