package io.kycrouter;

import io.kycrouter.cli.CheckCommand;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.kycrouter.MappingContractTest.didit;
import static io.kycrouter.MappingContractTest.vendorsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check} validates the configuration and the route files without starting anything: it prints each problem
 * with its file and line and exits 1, or prints OK and exits 0. Run in-process, as the jar runs it.
 */
class CheckCommandTest {

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome check(Map<String, String> overrides, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CheckCommand(KycWebhookRouter::configuredOnly, overrides).run(List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> vendors(Path dir) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("kyc.vendors.dir", dir.toString());
        return overrides;
    }

    /** The vendor folders of the repository: every one is checked. */
    private static long repositoryVendors() throws IOException {
        try (Stream<Path> folders = Files.list(Path.of("vendors"))) {
            return folders.filter(f -> Files.isRegularFile(f.resolve("vendor.properties"))).count();
        }
    }

    @Test
    void theRepositoryIsClean() throws Exception {
        Outcome outcome = check(Map.of());
        assertThat(outcome.out()).containsPattern("OK: " + repositoryVendors() + " vendors, \\d+ routes");
        assertThat(outcome.code()).isZero();
    }

    @Test
    void neitherTheDatabaseNorThePortsAreTouched() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Outcome outcome = check(Map.of(
                    "kyc.db.url", "jdbc:postgresql://127.0.0.1:1/none",
                    "camel.server.host", "127.0.0.1",
                    "camel.server.port", String.valueOf(taken.getLocalPort())));
            assertThat(outcome.out()).contains("OK: " + repositoryVendors() + " vendors");
            assertThat(outcome.code()).isZero();
        }
    }

    @Test
    void everyProblemIsPrintedWithItsFileAndLine() throws Exception {
        Path dir = vendorsWith("didit", didit(
                "- setVariable: { name: statu, constant: APPROVED }",
                "- setVariable: { name: type, jsonpath: \"$.decision..\" }"));
        Map<String, String> overrides = vendors(dir);
        overrides.put("kyc.ingres.max-body-size", "1000");
        Outcome outcome = check(overrides);
        assertThat(outcome.out())
                .contains("didit/routes.yaml:7: vendor-didit setVariable statu: unknown variable 'statu'")
                .contains("didit/routes.yaml:8: vendor-didit setVariable type: JSONPath $.decision.. does not compile")
                .contains("kyc.ingres.max-body-size: unknown key; the nearest known key is kyc.ingress.max-body-size")
                .contains("3 problems")
                .doesNotContain("OK:");
        assertThat(outcome.code()).isEqualTo(1);
    }

    @Test
    void aRouteFileCamelCannotLoadIsNamed() throws Exception {
        Path dir = vendorsWith("didit", didit("- setVariabel: { name: status, constant: APPROVED }"));
        Outcome outcome = check(vendors(dir));
        assertThat(outcome.out()).contains("didit/routes.yaml").contains("setVariabel");
        assertThat(outcome.code()).isEqualTo(1);
    }

    @Test
    void aVendorWithoutRouteIsNamed() throws Exception {
        Path dir = vendorsWith("didit", "[]\n");
        Outcome outcome = check(vendors(dir));
        assertThat(outcome.out()).contains("didit/routes.yaml: didit: vendor didit has no route consuming direct:vendor-didit");
        assertThat(outcome.code()).isEqualTo(1);
    }

    @Test
    void argumentsAreAUsageMistake() throws Exception {
        Outcome outcome = check(Map.of(), "routes/");
        assertThat(outcome.err()).contains("check takes no arguments");
        assertThat(outcome.code()).isEqualTo(2);
    }

    @Test
    void anUnknownCommandGetsTheUsage() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KycWebhookRouter.dispatch(new String[] {"chekc"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'chekc'").contains("run|dev|check");
        assertThat(code).isEqualTo(2);
    }
}
