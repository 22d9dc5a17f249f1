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

    /** A copy of the repository's vendor folders, with one vendor's routes.yaml replaced. */
    static Path vendorsWith(String vendor, String routesYaml) throws Exception {
        Path vendors = RunningRouter.vendorsCopy("vendors-" + vendor);
        Files.writeString(vendors.resolve(vendor).resolve("routes.yaml"), routesYaml);
        return vendors;
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

    private static String failure(Path vendors) throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("contract"));
        settings.put("kyc.vendors.dir", vendors.toString());
        return RunningRouter.startupFailure(settings);
    }

    @Test
    void anUnknownVariableIsNamedWithItsFileLineAndStep() throws Exception {
        Path routes = vendorsWith("didit", didit("- setVariable: { name: statu, constant: APPROVED }"));
        assertThat(failure(routes))
                .contains("didit/routes.yaml:7: vendor-didit setVariable statu: unknown variable 'statu'")
                .contains("did you mean 'status'?");
    }

    @Test
    void aStatusThatIsNotCanonicalIsNamed() throws Exception {
        Path routes = vendorsWith("didit", didit("- setVariable: { name: status, constant: APROVED }"));
        assertThat(failure(routes))
                .contains("didit/routes.yaml:7: vendor-didit setVariable status: 'APROVED' is not a canonical status")
                .contains("did you mean 'APPROVED'?");
    }

    @Test
    void aTypeThatIsNotCanonicalIsNamed() throws Exception {
        Path routes = vendorsWith("didit", didit("- setVariable: { name: type, constant: VERIFICATION_DONE }"));
        assertThat(failure(routes)).contains("didit/routes.yaml:7: vendor-didit setVariable type: 'VERIFICATION_DONE' is not a canonical type");
    }

    @Test
    void aJsonPathThatDoesNotCompileIsNamed() throws Exception {
        Path routes = vendorsWith("didit", didit(
                "- choice:",
                "    when:",
                "      - jsonpath: \"$[?(@.status == 'Approved'\"",
                "        steps:",
                "          - setVariable: { name: status, constant: APPROVED }"));
        assertThat(failure(routes)).contains("didit/routes.yaml:9: vendor-didit when jsonpath: JSONPath $[?(@.status == 'Approved' does not compile");
    }

    @Test
    void aRouteTheVendorRouteCallsIsHeldToTheContract() throws Exception {
        Path routes = vendorsWith("didit", didit("- to: direct:didit-decision") + """
                - route:
                    id: didit-decision
                    from:
                      uri: direct:didit-decision
                      steps:
                        - setVariable: { name: verdict, jsonpath: "$.decision" }
                """);
        assertThat(failure(routes)).contains("didit/routes.yaml:13: didit-decision setVariable verdict: unknown variable 'verdict'");
    }

    @Test
    void routerOwnedVariablesAreNotForVendorRoutes() throws Exception {
        Path routes = vendorsWith("didit", didit("- setVariable: { name: vendor, constant: sumsub }"));
        assertThat(failure(routes)).contains("vendor-didit setVariable vendor: 'vendor' is set by the router");
    }

    @Test
    void workingVariablesStartWithAnUnderscore() throws Exception {
        Path routes = vendorsWith("didit", didit(
                "- setVariable: { name: _decision, jsonpath: \"$.status\" }",
                "- setVariable: { name: status, constant: APPROVED }",
                "- setVariable: { name: check.kyc, jsonpath: \"$.decision.kyc.status\" }"));
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("contract-ok"));
        settings.put("kyc.vendors.dir", routes.toString());
        RunningRouter.start(settings).close();
    }
}
