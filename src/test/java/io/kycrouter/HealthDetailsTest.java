package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /observe/health on the management port lists every check (camel.health.exposure-level = full) with its status;
 * with ?data=true each check also carries its details, the database check its connection pool's state.
 */
class HealthDetailsTest {

    @Test
    void everyCheckIsListedAndDetailsComeWithData() throws Exception {
        try (RunningRouter router = RunningRouter.start(RunningRouter.defaults(RunningRouter.tempDir("health")))) {
            HttpResponse<String> health = router.management("/observe/health");
            assertThat(health.statusCode()).isEqualTo(200);
            Map<String, JsonNode> checks = checks(RunningRouter.json(health));
            assertThat(checks).containsKeys("context", "database", "route:ingress-http", "route:outbox-dispatch", "route:api-deliveries");
            assertThat(checks.values()).allSatisfy(c -> assertThat(c.get("status").asText()).isEqualTo("UP"));

            JsonNode detailed = RunningRouter.json(router.management("/observe/health?data=true"));
            assertThat(detailed.get("status").asText()).isEqualTo("UP");
            Map<String, JsonNode> withData = checks(detailed);
            JsonNode database = withData.get("database").get("data");
            assertThat(database).as(withData.get("database").toString()).isNotNull();
            assertThat(database.get("pool.max-size").asInt()).isEqualTo(10);
            assertThat(database.has("pool.active")).isTrue();
            assertThat(database.has("pool.idle")).isTrue();
            assertThat(database.has("pool.waiting")).isTrue();
            assertThat(withData.get("route:ingress-http").get("data").get("route.status").asText()).isEqualTo("Started");
        }
    }

    static Map<String, JsonNode> checks(JsonNode health) {
        Map<String, JsonNode> checks = new HashMap<>();
        health.get("checks").forEach(c -> checks.put(c.get("name").asText(), c));
        return checks;
    }
}
