package io.kycrouter;

import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A mistake in a route file or in the configuration stops start-up with a message that names it. */
class StartupValidationTest {

    private static Throwable rootOf(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) {
            all.append(x.getMessage()).append('\n');
        }
        return new RuntimeException(all.toString());
    }

    private static String startFailure(Map<String, String> settings) {
        try {
            RunningRouter.start(settings).close();
        } catch (Throwable e) {
            return rootOf(e).getMessage();
        }
        throw new AssertionError("start-up should have failed");
    }

    /** The settings of a router whose vendor folders are the project's, but with this vendor's routes.yaml. */
    private static Map<String, String> withVendorRoutes(String vendor, String routesYaml) throws Exception {
        Path vendors = RunningRouter.vendorsCopy("vendors");
        Files.writeString(vendors.resolve(vendor).resolve("routes.yaml"), routesYaml);
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("routes-" + vendor));
        settings.put("kyc.vendors.dir", vendors.toString());
        return settings;
    }

    @Test
    void aPortAlreadyInUseStopsStartUp() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("port-taken"));
            settings.put("camel.server.host", "127.0.0.1");
            settings.put("camel.server.port", String.valueOf(taken.getLocalPort()));
            assertThat(startFailure(settings)).contains("could not listen on port " + taken.getLocalPort());
        }
    }

    @Test
    void brokenYamlNamesTheFile() throws Exception {
        Map<String, String> settings = withVendorRoutes("didit",
                "- route:\n    from:\n      uri: direct:vendor-didit\n      steps:\n        - setVariable: { name: x\n");
        assertThat(startFailure(settings)).contains("didit/routes.yaml");
    }

    @Test
    void unknownStepNamesTheFile() throws Exception {
        Map<String, String> settings = withVendorRoutes("didit",
                "- route:\n    from:\n      uri: direct:vendor-didit\n      steps:\n        - setVariabel:\n            name: x\n            constant: y\n");
        assertThat(startFailure(settings)).contains("didit/routes.yaml").contains("setVariabel");
    }

    @Test
    void vendorWithoutRouteIsNamed() throws Exception {
        Map<String, String> settings = withVendorRoutes("didit", "[]\n");
        assertThat(startFailure(settings)).contains("vendor didit").contains("direct:vendor-didit").contains("didit/routes.yaml");
    }

    @Test
    void badAuthSettingNamesTheProperty() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("bad-prop"));
        settings.put("kyc.vendor.sumsub.auth.digest.encoding", "hexx");
        assertThat(startFailure(settings)).contains("kyc.vendor.sumsub.auth.digest.encoding");
    }

    @Test
    void badAlgorithmIsNamed() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("bad-alg"));
        settings.put("kyc.vendor.sumsub.auth.digest.algorithm", "MD5");
        assertThat(startFailure(settings)).contains("vendor sumsub").contains("MD5");
    }

    @Test
    void badEventKeyPathIsNamed() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("bad-key"));
        settings.put("kyc.vendor.didit.event-key", "session_id");
        assertThat(startFailure(settings)).contains("vendor didit").contains("session_id");
    }

    @Test
    void unreachableDatabaseIsNamed() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("bad-db"));
        settings.put("kyc.db.url", "jdbc:postgresql://127.0.0.1:1/none");
        settings.put("kyc.db.pool.initialization-fail-timeout-ms", "1000");
        assertThat(startFailure(settings)).contains("cannot connect to the database").contains("127.0.0.1:1");
    }
}
