package io.kycrouter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's own routes come from the jar (router/*.yaml); a file of the same name in the routes folder
 * (kyc.routes.dir, KYC_ROUTES_DIR) replaces one, with a WARN naming it, and any other file there is added.
 */
class RouteOverridesTest {

    private static String builtIn(String file) throws Exception {
        try (InputStream in = RouteOverridesTest.class.getResourceAsStream("/router/" + file)) {
            assertThat(in).as("built-in router/" + file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String probe(String id, String path, String body) {
        return "\n- route:\n    id: " + id + "\n    from:\n      uri: platform-http:" + path + "\n      steps:\n"
                + "        - setBody:\n            constant: '" + body + "'\n";
    }

    private static Map<String, String> settings(Path routes) throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("route-overrides"));
        settings.put("kyc.routes.dir", routes.toString());
        return settings;
    }

    @Test
    void aFileOfTheSameNameReplacesTheBuiltInOneAndOthersAreAdded() throws Exception {
        Path routes = RunningRouter.tempDir("routes");
        // the built-in retention routes and one more: had the built-in file been loaded too, its route ids would clash
        Files.writeString(routes.resolve("retention.yaml"), builtIn("retention.yaml")
                + probe("override-probe", "/probe/override", "from the override"));
        Files.writeString(routes.resolve("extra.yaml"), probe("extra-probe", "/probe/extra", "from an extra file"));
        Logger log = (Logger) LoggerFactory.getLogger(RouteFiles.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try (RunningRouter router = RunningRouter.start(settings(routes))) {
            HttpResponse<String> override = router.request("GET", "/probe/override", null);
            assertThat(override.statusCode()).isEqualTo(200);
            assertThat(override.body()).isEqualTo("from the override");
            assertThat(router.request("GET", "/probe/extra", null).body()).isEqualTo("from an extra file");
            assertThat(router.main().getCamelContext().getRoute("retention-purge")).isNotNull();
            // the other built-in routes are still the jar's
            assertThat(router.main().getCamelContext().getRoute("ingress")).isNotNull();
            assertThat(router.main().getCamelContext().getRoute("vendor-sumsub")).isNotNull();
        } finally {
            log.detachAppender(lines);
        }
        assertThat(lines.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .singleElement().asString().contains(routes.resolve("retention.yaml").toString()).contains("router/retention.yaml");
    }

    @Test
    void aVendorRouteLeftInTheRoutesFolderIsNamed() throws Exception {
        Path routes = RunningRouter.tempDir("old-routes");
        Files.copy(Path.of("vendors", "sumsub", "routes.yaml"), routes.resolve("sumsub.yaml"));
        assertThat(RunningRouter.startupFailure(settings(routes))).contains(routes.resolve("sumsub.yaml").toString())
                .contains(Path.of("vendors", "sumsub", "routes.yaml").toString());
    }

    @Test
    void aRoutesFolderNamedButMissingIsAMistake() throws Exception {
        Path missing = RunningRouter.tempDir("no-routes").resolve("routes-typo");
        assertThat(RunningRouter.startupFailure(settings(missing))).contains("the routes folder").contains("routes-typo");
    }

    @Test
    void theBuiltInRoutesAreTheJarsRouterFolder() throws Exception {
        try (var files = Files.list(Path.of("src", "main", "resources", "router"))) {
            assertThat(RouteFiles.builtIn()).containsExactlyInAnyOrderElementsOf(
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).toList());
        }
        assertThat(RouteFiles.builtIn()).contains("ingress.yaml", "canonical.yaml", "api.yaml", "notifiers.yaml", "retention.yaml");
    }
}
