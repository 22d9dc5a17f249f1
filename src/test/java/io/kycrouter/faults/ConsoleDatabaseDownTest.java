package io.kycrouter.faults;

import io.kycrouter.support.ConsoleClient;
import io.kycrouter.support.CuttableDatabase;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console while the database is away: its pages' reads and actions get the API's JSON 503 (which the page shows
 * as an error), the signed-in session survives, and an action refused then has changed nothing once the database is
 * back, where it then works.
 */
class ConsoleDatabaseDownTest {

    @Test
    void readsAndActionsFailVisiblyAndChangeNothingWhileTheDatabaseIsAway() throws Exception {
        try (CuttableDatabase database = CuttableDatabase.start(RunningRouter.tempDir("console-db-down"))) {
            Map<String, String> settings = database.configure(RunningRouter.defaults(RunningRouter.tempDir("console-db-down-router")));
            try (RunningRouter router = RunningRouter.start(settings)) {
                long dead;
                try (Connection c = router.db(); PreparedStatement insert = c.prepareStatement("insert into outbox (event_id, event_seq,"
                        + " target, vendor, verification_id, state, attempts, created_at, next_attempt_at, last_error)"
                        + " values ('e-1', 1, 'gone', 'sumsub', 'v-1', 'dead', 3, ?, ?, 'HTTP 500')", new String[]{"id"})) {
                    insert.setTimestamp(1, Timestamp.from(Instant.now()));
                    insert.setTimestamp(2, Timestamp.from(Instant.now()));
                    insert.executeUpdate();
                    try (var keys = insert.getGeneratedKeys()) {
                        keys.next();
                        dead = keys.getLong(1);
                    }
                }
                ConsoleClient browser = new ConsoleClient(router);
                browser.signIn(RunningRouter.OPERATOR_TOKEN);
                String csrf = browser.csrfToken();
                Map<String, String> action = Map.of("Origin", browser.origin(), "X-CSRF-Token", csrf);

                database.cut();
                HttpResponse<String> overview = browser.get("/api/overview");
                assertThat(overview.statusCode()).isEqualTo(503);
                assertThat(RunningRouter.json(overview).get("error").asText()).isEqualTo("store_unavailable");
                HttpResponse<String> replay = browser.send("POST", "/api/deliveries/" + dead + "/replay", null, action);
                assertThat(replay.statusCode()).isEqualTo(503);
                assertThat(RunningRouter.json(replay).get("message").asText()).contains("database is unavailable");
                // the session is the router's, not the database's: the console still opens and says what failed
                assertThat(browser.get("/console").body()).contains("/console/assets/console.js");
                database.mend();

                assertThat(router.rows("select state from outbox where id = ?", dead).get(0).get("state")).isEqualTo("dead");
                // the pool may still hand out a connection broken by the cut: such a call is a 503 that changed nothing
                // (checked above), and the operator's retry is what succeeds
                AtomicReference<HttpResponse<String>> again = new AtomicReference<>();
                await().atMost(RunningRouter.WAIT).until(() -> {
                    again.set(browser.send("POST", "/api/deliveries/" + dead + "/replay", null, action));
                    return again.get().statusCode() != 503;
                });
                assertThat(again.get().statusCode()).as(again.get().body()).isEqualTo(202);
                assertThat(router.rows("select state from outbox where id = ?", dead).get(0).get("state")).isEqualTo("pending");
                await().atMost(RunningRouter.WAIT).until(() -> browser.get("/api/overview").statusCode() == 200);
            }
        }
    }
}
