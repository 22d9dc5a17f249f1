package io.kycrouter;

import io.kycrouter.support.CuttableDatabase;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mapping again while the database is unreachable answers 503 and writes nothing; once it is back, the same call maps
 * the delivery.
 */
class RemapDatabaseDownTest {

    @Test
    void aRemapWhileTheDatabaseIsDownAnswers503AndWritesNothing() throws Exception {
        Path dir = RunningRouter.tempDir("remap-down");
        try (CuttableDatabase network = CuttableDatabase.start(dir)) {
            Map<String, String> settings = network.configure(RunningRouter.defaults(dir));
            try (RunningRouter router = RunningRouter.start(settings)) {
                long id = parked(router);
                String path = "/api/inbox/" + id + "/remap";

                network.cut();
                HttpResponse<String> down = router.request("POST", path, RunningRouter.OPERATOR_TOKEN);
                assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                assertThat(json(down).get("error").asText()).isEqualTo("store_unavailable");
                network.mend();

                assertThat(router.count("select count(*) from canonical_event where inbox_id = ?", id)).isZero();
                assertThat(router.count("select count(*) from inbox where id = ? and processed_at is null", id)).isEqualTo(1);
                assertThat(router.count("select count(*) from verification_state")).isZero();
                assertThat(router.count("select count(*) from outbox")).isZero();

                // the operator's retry, until the pool has replaced its broken connections
                HttpResponse<String> retry = await("a remap once the database is back").atMost(RunningRouter.WAIT)
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> router.request("POST", path, RunningRouter.OPERATOR_TOKEN), r -> r.statusCode() == 200);
                assertThat(json(retry).get("remapped").asInt()).as(retry.body()).isEqualTo(1);
                assertThat(router.canonicalEventOf(id).get("status").asText()).isEqualTo("APPROVED");
            }
        }
    }

    /** A Didit delivery stored but parked (its mapping failed when it arrived); the recovery leaves it alone. */
    static long parked(RunningRouter router) throws Exception {
        try (Connection c = router.db(); PreparedStatement s = c.prepareStatement(
                "insert into inbox (vendor, event_key, received_at, body, attempts, last_error) values ('didit', 'down-1', ?, ?, ?, ?)")) {
            s.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5));
            s.setString(2, "{\"session_id\":\"remap-down\",\"status\":\"Approved\",\"created_at\":1767225600}");
            s.setInt(3, 1_000_000);
            s.setString(4, "IllegalStateException: broken mapping");
            s.executeUpdate();
        }
        return router.count("select id from inbox where event_key = 'down-1'");
    }
}
