package io.kycrouter;

import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vendor mapping that breaks the contract (a variable the canonical model does not know, a type or status that is
 * not a canonical constant, a JSONPath that does not compile) stops start-up, naming the file, the line, the route
 * and the step. The routes a vendor route calls are held to it too; the router's own routes are not.
 */
class MappingContractTest {

    /** The repository's routes, with one vendor route file replaced. */
    static Path routesWith(String fileName, String content) throws Exception {
        Path dir = RunningRouter.tempDir("routes");
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        Files.writeString(dir.resolve(fileName), content);
        return dir;
    }

    static String didit(String... steps) {
        StringBuilder yaml = new StringBuilder("""
                - route:
                    id: vendor-didit
                    from:
                      uri: direct:vendor-didit
                      steps:
                        - setVariable: { name: verificationId, jsonpath: "$.session_id" }
                """);
        for (String step : steps) {
            yaml.append("        ").append(step).append('\n');
        }
        return yaml.toString();
    }

    private static String failure(Path routes) throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("contract"));
        settings.put("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
        return RunningRouter.startupFailure(settings);
    }

    @Test
    void anUnknownVariableIsNamedWithItsFileLineAndStep() throws Exception {
        Path routes = routesWith("didit.yaml", didit("- setVariable: { name: statu, constant: APPROVED }"));
        assertThat(failure(routes))
                .contains("didit.yaml:7: vendor-didit setVariable statu: unknown variable 'statu'")
                .contains("did you mean 'status'?");
    }

    @Test
    void aStatusThatIsNotCanonicalIsNamed() throws Exception {
        Path routes = routesWith("didit.yaml", didit("- setVariable: { name: status, constant: APROVED }"));
        assertThat(failure(routes))
                .contains("didit.yaml:7: vendor-didit setVariable status: 'APROVED' is not a canonical status")
                .contains("did you mean 'APPROVED'?");
    }

    @Test
    void aTypeThatIsNotCanonicalIsNamed() throws Exception {
        Path routes = routesWith("didit.yaml", didit("- setVariable: { name: type, constant: VERIFICATION_DONE }"));
        assertThat(failure(routes)).contains("didit.yaml:7: vendor-didit setVariable type: 'VERIFICATION_DONE' is not a canonical type");
    }

    @Test
    void aJsonPathThatDoesNotCompileIsNamed() throws Exception {
        Path routes = routesWith("didit.yaml", didit(
                "- choice:",
                "    when:",
                "      - jsonpath: \"$[?(@.status == 'Approved'\"",
                "        steps:",
                "          - setVariable: { name: status, constant: APPROVED }"));
        assertThat(failure(routes)).contains("didit.yaml:9: vendor-didit when jsonpath: JSONPath $[?(@.status == 'Approved' does not compile");
    }

    @Test
    void aRouteTheVendorRouteCallsIsHeldToTheContract() throws Exception {
        Path routes = routesWith("didit.yaml", didit("- to: direct:didit-decision") + """
                - route:
                    id: didit-decision
                    from:
                      uri: direct:didit-decision
                      steps:
                        - setVariable: { name: verdict, jsonpath: "$.decision" }
                """);
        assertThat(failure(routes)).contains("didit.yaml:13: didit-decision setVariable verdict: unknown variable 'verdict'");
    }

    @Test
    void routerOwnedVariablesAreNotForVendorRoutes() throws Exception {
        Path routes = routesWith("didit.yaml", didit("- setVariable: { name: vendor, constant: sumsub }"));
        assertThat(failure(routes)).contains("vendor-didit setVariable vendor: 'vendor' is set by the router");
    }

    @Test
    void workingVariablesStartWithAnUnderscore() throws Exception {
        Path routes = routesWith("didit.yaml", didit(
                "- setVariable: { name: _decision, jsonpath: \"$.status\" }",
                "- setVariable: { name: status, constant: APPROVED }",
                "- setVariable: { name: check.kyc, jsonpath: \"$.decision.kyc.status\" }"));
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("contract-ok"));
        settings.put("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
        RunningRouter.start(settings).close();
    }
}
